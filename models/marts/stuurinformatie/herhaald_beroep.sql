-- One row per gemeente, standard, aanbieder, productcategorie and year of ending: of the
-- zorgperioden that ended according to plan, how many clients came back for a new start in the
-- same domain (with any aanbieder) within 6 and within 12 months. A period counts only once its
-- window has fully passed by the peildatum, so recent endings never look like successes.
with volgens_plan as (
    select * from {{ ref('terugkeer') }}
),

final as (
    select
        volgens_plan.gemeente_code,
        volgens_plan.standard,
        volgens_plan.aanbieder_agb,
        volgens_plan.product_categorie,
        cast(extract(year from volgens_plan.einddatum) as integer) as jaar,
        count(*) filter (
            where volgens_plan.einddatum + interval '6 months' <= {{ peildatum() }}
        ) as beeindigd_volgens_plan_6m_bekend,
        count(*) filter (
            where
            volgens_plan.einddatum + interval '6 months' <= {{ peildatum() }}
            and volgens_plan.volgende_begindatum <= volgens_plan.einddatum + interval '6 months'
        ) as herhaald_beroep_6m,
        count(*) filter (
            where volgens_plan.einddatum + interval '12 months' <= {{ peildatum() }}
        ) as beeindigd_volgens_plan_12m_bekend,
        count(*) filter (
            where
            volgens_plan.einddatum + interval '12 months' <= {{ peildatum() }}
            and volgens_plan.volgende_begindatum <= volgens_plan.einddatum + interval '12 months'
        ) as herhaald_beroep_12m
    from volgens_plan
    group by 1, 2, 3, 4, 5
)

select * from final
