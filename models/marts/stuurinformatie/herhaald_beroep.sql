-- One row per gemeente, standard, aanbieder, productcategorie and year of ending: of the
-- zorgperioden that ended according to plan, how many clients came back for a new start in the
-- same domain (with any aanbieder) within 6 and within 12 months. A period counts only once its
-- window has fully passed by the peildatum, so recent endings never look like successes.
with zorgperioden as (
    select * from {{ ref('zorgperioden') }}
),

volgens_plan as (
    select *
    from zorgperioden
    where afloop = 'volgens_plan' and einddatum >= begindatum
),

terugkeer as (
    select
        volgens_plan.zorgperiode_id,
        min(later.begindatum) as volgende_begindatum
    from volgens_plan
    inner join zorgperioden as later
        on
            volgens_plan.standard = later.standard
            and volgens_plan.client_pseudonym = later.client_pseudonym
            and volgens_plan.einddatum < later.begindatum
    group by 1
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
            and terugkeer.volgende_begindatum <= volgens_plan.einddatum + interval '6 months'
        ) as herhaald_beroep_6m,
        count(*) filter (
            where volgens_plan.einddatum + interval '12 months' <= {{ peildatum() }}
        ) as beeindigd_volgens_plan_12m_bekend,
        count(*) filter (
            where
            volgens_plan.einddatum + interval '12 months' <= {{ peildatum() }}
            and terugkeer.volgende_begindatum <= volgens_plan.einddatum + interval '12 months'
        ) as herhaald_beroep_12m
    from volgens_plan
    left join terugkeer
        on volgens_plan.zorgperiode_id = terugkeer.zorgperiode_id
    group by 1, 2, 3, 4, 5
)

select * from final
