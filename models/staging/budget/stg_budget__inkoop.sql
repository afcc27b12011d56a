with source as (
    select * from {{ source('budget', 'budget_inkoop') }}
),

renamed as (
    select
        file_id,
        row_seq,
        gemeente_code,
        {{ safe_cast('jaar', 'integer') }} as jaar,
        lower(standard) as standard,
        segment,
        productcategorie as product_categorie,
        productcode as product_code,
        eenheid,
        aanbieder_agb,
        {{ safe_cast('tarief_eurocent', 'bigint') }} as tarief_eurocent,
        nullif(productnaam, '') as product_naam,
        nullif(perceel, '') as perceel
    from source
)

select * from renamed
