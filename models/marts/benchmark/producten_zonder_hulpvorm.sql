-- One row per gemeente and product that no crosswalk row maps to a CBS form of care: what to
-- configure in seed cbs_hulpvorm_crosswalk. Its clients still count in the benchmark's total,
-- just not in a form.
with product_vormen as (
    select * from {{ ref('product_hulpvorm') }}
    where vorm_code is null
),

zorgperioden as (
    select * from {{ ref('zorgperioden') }}
),

categorie as (
    select * from {{ ref('productcategorie') }}
),

final as (
    select
        product_vormen.gemeente_code,
        product_vormen.standard,
        product_vormen.product_categorie,
        product_vormen.product_code,
        categorie.omschrijving as productcategorie_omschrijving,
        count(distinct zorgperioden.client_pseudonym) as clienten,
        count(*) as zorgperioden,
        min(zorgperioden.begindatum) as eerste_begindatum,
        max(zorgperioden.begindatum) as laatste_begindatum
    from product_vormen
    inner join zorgperioden
        on
            product_vormen.gemeente_code = zorgperioden.gemeente_code
            and product_vormen.standard = zorgperioden.standard
            and product_vormen.product_categorie = zorgperioden.product_categorie
            and product_vormen.product_code is not distinct from zorgperioden.product_code
    left join categorie
        on
            product_vormen.standard = categorie.standard
            and product_vormen.product_categorie = categorie.code
    group by
        product_vormen.gemeente_code,
        product_vormen.standard,
        product_vormen.product_categorie,
        product_vormen.product_code,
        categorie.omschrijving
)

select * from final
