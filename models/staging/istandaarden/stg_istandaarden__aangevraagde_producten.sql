with source as (
    select * from {{ source('istandaarden', 'aangevraagde_producten') }}
),

renamed as (
    select
        file_id,
        client_seq,
        record_seq as product_seq,
        referentie_aanbieder,
        beschikkingnummer,
        product_categorie,
        product_code,
        {{ safe_cast('beschikking_ingangsdatum', 'date') }} as beschikking_ingangsdatum,
        {{ safe_cast('toewijzing_ingangsdatum', 'date') }} as toewijzing_ingangsdatum,
        {{ safe_cast('toewijzing_einddatum', 'date') }} as toewijzing_einddatum,
        {{ safe_cast('volume', 'bigint') }} as volume,
        eenheid,
        frequentie,
        {{ safe_cast('budget', 'bigint') }} as budget_eurocent,
        verwijzer_type,
        verwijzer_zorgverlener_code,
        raamcontract,
        {{ safe_cast('ingangsdatum', 'date') }} as ingangsdatum,
        {{ safe_cast('begindatum', 'date') }} as begindatum,
        aanbieder as product_aanbieder_agb,
        status_aanlevering
    from source
)

select * from renamed
