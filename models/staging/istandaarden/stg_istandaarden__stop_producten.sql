with source as (
    select * from {{ source('istandaarden', 'stop_producten') }}
),

renamed as (
    select
        file_id,
        client_seq,
        product_seq,
        {{ safe_cast('toewijzing_nummer', 'bigint') }} as toewijzing_nummer,
        product_categorie,
        product_code,
        {{ safe_cast('toewijzing_ingangsdatum', 'date') }} as toewijzing_ingangsdatum,
        {{ safe_cast('begindatum', 'date') }} as begindatum,
        reden_beeindiging,
        {{ safe_cast('einddatum', 'date') }} as einddatum,
        status_aanlevering
    from source
)

select * from renamed
