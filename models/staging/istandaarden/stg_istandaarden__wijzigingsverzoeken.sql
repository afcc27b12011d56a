with source as (
    select * from {{ source('istandaarden', 'wijzigingsverzoeken') }}
),

renamed as (
    select
        file_id,
        client_seq,
        record_seq,
        referentie_aanbieder,
        reden_verzoek
    from source
)

select * from renamed
