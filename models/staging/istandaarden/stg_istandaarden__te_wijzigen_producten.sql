with source as (
    select * from {{ source('istandaarden', 'te_wijzigen_producten') }}
),

renamed as (
    select
        file_id,
        client_seq,
        record_seq as product_seq,
        {{ safe_cast('toewijzing_nummer', 'bigint') }} as toewijzing_nummer,
        {{ safe_cast('gewenste_ingangsdatum', 'date') }} as gewenste_ingangsdatum,
        {{ safe_cast('einddatum', 'date') }} as einddatum,
        {{ safe_cast('volume', 'bigint') }} as volume,
        eenheid,
        frequentie,
        {{ safe_cast('budget', 'bigint') }} as budget_eurocent
    from source
)

select * from renamed
