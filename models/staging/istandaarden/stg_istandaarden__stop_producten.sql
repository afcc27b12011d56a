with source as (
    select * from {{ source('istandaarden', 'stop_producten') }}
),

renamed as (
    select
        file_id,
        client_seq,
        record_seq as product_seq,
        {{ safe_cast('toewijzing_nummer', 'bigint') }} as toewijzing_nummer,
        product_categorie,
        product_code,
        {{ safe_cast('toewijzing_ingangsdatum', 'date') }} as toewijzing_ingangsdatum,
        {{ safe_cast('begindatum', 'date') }} as begindatum,
        reden_beeindiging,
        {{ safe_cast('einddatum', 'date') }} as einddatum,
        status_aanlevering,
        beschikkingnummer,
        aanbieder as product_aanbieder_agb,
        {{ safe_cast('volume', 'bigint') }} as volume,
        eenheid,
        frequentie
    from source
)

select * from renamed
