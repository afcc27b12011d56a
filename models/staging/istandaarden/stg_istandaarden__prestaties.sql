with source as (
    select * from {{ source('istandaarden', 'prestaties') }}
),

renamed as (
    select
        file_id,
        client_seq,
        record_seq as product_seq,
        referentie_nummer,
        vorig_referentie_nummer,
        {{ safe_cast('toewijzing_nummer', 'bigint') }} as toewijzing_nummer,
        product_categorie,
        product_code,
        {{ safe_cast('product_begindatum', 'date') }} as product_begindatum,
        {{ safe_cast('product_einddatum', 'date') }} as product_einddatum,
        {{ safe_cast('geleverd_volume', 'bigint') }} as geleverd_volume,
        eenheid,
        {{ safe_cast('product_tarief', 'bigint') }} as product_tarief_eurocent,
        {{ safe_cast('ingediend_bedrag', 'bigint') }} as ingediend_eurocent,
        ingediend_debet_credit
    from source
)

select * from renamed
