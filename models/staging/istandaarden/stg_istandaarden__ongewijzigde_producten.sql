with source as (
    select * from {{ source('istandaarden', 'ongewijzigde_producten') }}
),

renamed as (
    select
        file_id,
        client_seq,
        record_seq as product_seq,
        {{ safe_cast('toewijzing_nummer', 'bigint') }} as toewijzing_nummer
    from source
)

select * from renamed
