with source as (
    select * from {{ source('istandaarden', 'nieuwe_producten') }}
),

renamed as (
    select
        file_id,
        client_seq,
        record_seq as product_seq,
        product_categorie,
        product_code,
        {{ safe_cast('gewenste_ingangsdatum', 'date') }} as gewenste_ingangsdatum,
        {{ safe_cast('einddatum', 'date') }} as einddatum,
        {{ safe_cast('volume', 'bigint') }} as volume,
        eenheid,
        frequentie,
        {{ safe_cast('budget', 'bigint') }} as budget_eurocent
    from source
)

select * from renamed
