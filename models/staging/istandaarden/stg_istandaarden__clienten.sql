with source as (
    select * from {{ source('istandaarden', 'clienten') }}
),

renamed as (
    select
        file_id,
        client_seq,
        client_pseudonym,
        bsn_valid as is_bsn_valid,
        {{ safe_cast('geboortejaar', 'integer') }} as geboortejaar,
        {{ safe_cast('geboortemaand', 'integer') }} as geboortemaand,
        geslacht,
        postcode4,
        buurt_code,
        gezagsdrager_bekend,
        status_aanlevering
    from source
)

select * from renamed
