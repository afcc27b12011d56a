with source as (
    select * from {{ source('doelen', 'doelen_uitkomsten') }}
),

renamed as (
    select
        file_id,
        line_number,
        gemeente_code,
        aanbieder_agb,
        {{ safe_cast('toewijzingnummer', 'bigint') }} as toewijzing_nummer,
        {{ safe_cast('einddatum', 'date') }} as einddatum,
        nullif(doelrealisatie, '') as doelrealisatie,
        {{ safe_cast("nullif(tevredenheid, '')", 'integer') }} as tevredenheid
    from source
)

select * from renamed
