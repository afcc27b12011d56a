with source as (
    select * from {{ source('istandaarden', 'beschikkingen') }}
),

renamed as (
    select
        file_id,
        client_seq,
        record_seq,
        beschikkingnummer,
        {{ safe_cast('afgiftedatum', 'date') }} as afgiftedatum,
        {{ safe_cast('ingangsdatum', 'date') }} as ingangsdatum,
        {{ safe_cast('einddatum', 'date') }} as einddatum
    from source
)

select * from renamed
