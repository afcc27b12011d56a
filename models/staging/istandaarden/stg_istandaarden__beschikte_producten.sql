with source as (
    select * from {{ source('istandaarden', 'beschikte_producten') }}
),

renamed as (
    select
        file_id,
        client_seq,
        record_seq as product_seq,
        beschikkingnummer,
        product_categorie,
        product_code,
        {{ safe_cast('ingangsdatum', 'date') }} as ingangsdatum,
        {{ safe_cast('einddatum', 'date') }} as einddatum,
        {{ safe_cast('volume', 'bigint') }} as volume,
        eenheid,
        frequentie
    from source
)

select * from renamed
