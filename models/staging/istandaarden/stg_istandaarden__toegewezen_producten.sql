with source as (
    select * from {{ source('istandaarden', 'toegewezen_producten') }}
),

renamed as (
    select
        file_id,
        client_seq,
        record_seq as product_seq,
        {{ safe_cast('toewijzing_nummer', 'bigint') }} as toewijzing_nummer,
        referentie_aanbieder,
        product_categorie,
        product_code,
        {{ safe_cast('toewijzingsdatum', 'date') }} as toewijzingsdatum,
        {{ safe_cast('toewijzingstijd', 'time') }} as toewijzingstijd,
        {{ safe_cast('ingangsdatum', 'date') }} as ingangsdatum,
        {{ safe_cast('einddatum', 'date') }} as einddatum,
        reden_wijziging,
        {{ safe_cast('volume', 'bigint') }} as volume,
        eenheid,
        frequentie,
        {{ safe_cast('budget', 'bigint') }} as budget_eurocent,
        beschikkingnummer,
        aanbieder as product_aanbieder_agb,
        reden_intrekking
    from source
)

select * from renamed
