with source as (
    select * from {{ source('istandaarden', 'berichten') }}
),

renamed as (
    select
        file_id,
        standard,
        release,
        split_part(release, '.', 1) as release_family,
        message_type,
        bericht_code,
        afzender,
        ontvanger,
        bericht_identificatie,
        {{ safe_cast('dagtekening', 'date') }} as dagtekening,
        identificatie_retour,
        {{ safe_cast('dagtekening_retour', 'date') }} as dagtekening_retour,
        declaratie_identificatie,
        {{ safe_cast('declaratie_dagtekening', 'date') }} as declaratie_dagtekening,
        gemeente_code,
        aanbieder_agb
    from source
)

select * from renamed
