-- Every product seen in a toewijzing or a start, with its category's meaning and, where the
-- category determines it, the CBS hulpvorm.
with seen as (
    select
        standard,
        product_categorie,
        product_code
    from {{ ref('toewijzing_versies') }}
    union
    select
        standard,
        product_categorie,
        product_code
    from {{ ref('zorgstarts') }}
),

categorie as (
    select * from {{ ref('productcategorie') }}
),

final as (
    select
        {{ surrogate_key(['seen.standard', 'seen.product_categorie', 'seen.product_code']) }}
            as product_id,
        seen.standard,
        seen.product_categorie,
        seen.product_code,
        categorie.omschrijving as productcategorie_omschrijving,
        categorie.cbs_hulpvorm_code,
        categorie.met_verblijf,
        categorie.code is not null as is_bekende_categorie
    from seen
    left join categorie
        on
            seen.standard = categorie.standard
            and seen.product_categorie = categorie.code
)

select * from final
