with source as (
    select * from {{ source('istandaarden', 'start_producten') }}
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
        status_aanlevering
    from source
)

select * from renamed
