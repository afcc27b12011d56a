-- One row per zorgperiode that ended according to plan: when the client next started care in
-- the same domain (with any aanbieder), if ever. The step herhaald beroep counts from, shared by
-- marts.herhaald_beroep and marts.uitkomsten_aanbieder_jaar.
with zorgperioden as (
    select * from {{ ref('zorgperioden') }}
),

volgens_plan as (
    select *
    from zorgperioden
    where afloop = 'volgens_plan' and einddatum >= begindatum
),

volgende as (
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
        volgens_plan.zorgperiode_id,
        volgens_plan.gemeente_code,
        volgens_plan.standard,
        volgens_plan.aanbieder_agb,
        volgens_plan.product_categorie,
        volgens_plan.einddatum,
        volgende.volgende_begindatum
    from volgens_plan
    left join volgende on volgens_plan.zorgperiode_id = volgende.zorgperiode_id
)

select * from final
