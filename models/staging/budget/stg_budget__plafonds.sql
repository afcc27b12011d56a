with source as (
    select * from {{ source('budget', 'budget_plafonds') }}
),

renamed as (
    select
        file_id,
        row_seq,
        gemeente_code,
        {{ safe_cast('jaar', 'integer') }} as jaar,
        lower(standard) as standard,
        nullif(segment, '') as segment,
        nullif(productcategorie, '') as product_categorie,
        {{ safe_cast('plafond_eur', 'decimal(18, 2)') }} as plafond_eur,
        nullif(aanbieder_agb, '') as aanbieder_agb
    from source
)

select * from renamed
