-- Every product seen in a toewijzing or a start, with its category's meaning and, where the
-- category determines it, the CBS hulpvorm, and its name in the inkoop catalogue.
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

namen as (
    select * from {{ ref('product_namen') }}
),

final as (
    select
        {{ surrogate_key(['seen.standard', 'seen.product_categorie', 'seen.product_code']) }}
            as product_id,
        seen.standard,
        seen.product_categorie,
        seen.product_code,
        coalesce(
            namen.product_naam, nullif(seen.product_code, ''), seen.product_categorie, 'generiek'
        )
            as product_naam,
        categorie.omschrijving as productcategorie_omschrijving,
        categorie.cbs_hulpvorm_code,
        categorie.met_verblijf,
        categorie.code is not null as is_bekende_categorie
    from seen
    left join categorie
        on
            seen.standard = categorie.standard
            and seen.product_categorie = categorie.code
    left join namen
        on
            seen.standard = namen.standard
            and seen.product_categorie = namen.product_categorie
            and seen.product_code = namen.product_code
)

select * from final
