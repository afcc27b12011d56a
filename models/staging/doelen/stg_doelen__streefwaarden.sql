with source as (
    select * from {{ source('doelen', 'doelen_streefwaarden') }}
),

renamed as (
    select
        file_id,
        line_number,
        gebied as gebied_code,
        periode,
        kpi,
        case domein when 'wmo' then 'iwmo' when 'jeugd' then 'ijw' else 'alle' end as standard,
        {{ safe_cast("replace(streefwaarde, ',', '.')", 'double precision') }} as streefwaarde,
        richting,
        coalesce(
            {{ safe_cast("replace(nullif(signaalmarge, ''), ',', '.')", 'double precision') }}, 0
        ) as signaalmarge
    from source
)

select * from renamed
