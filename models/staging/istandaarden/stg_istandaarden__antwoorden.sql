with source as (
    select * from {{ source('istandaarden', 'antwoorden') }}
),

renamed as (
    select
        file_id,
        record_seq,
        referentie_aanbieder,
        verzoek_antwoord,
        reden_afwijzing_verzoek,
        woonplaatsbeginsel_gemeente
    from source
)

select * from renamed
