with source as (
    select * from {{ source('istandaarden', 'declaraties') }}
),

renamed as (
    select
        file_id,
        record_seq,
        declaratie_nummer,
        {{ safe_cast('totaal_ingediend_bedrag', 'bigint') }} as totaal_ingediend_eurocent,
        totaal_ingediend_debet_credit,
        {{ safe_cast('declaratie_begindatum', 'date') }} as declaratie_begindatum,
        {{ safe_cast('declaratie_einddatum', 'date') }} as declaratie_einddatum,
        {{ safe_cast('declaratie_dagtekening', 'date') }} as declaratie_dagtekening,
        {{ safe_cast('totaal_toegekend_bedrag', 'bigint') }} as totaal_toegekend_eurocent,
        totaal_toegekend_debet_credit
    from source
)

select * from renamed
