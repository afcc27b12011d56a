with source as (
    select * from {{ source('cbs', 'cbs_observations') }}
),

renamed as (
    select
        file_id,
        row_seq,
        region_code,
        region_name,
        region_type,
        -- The level a region code stands for, from its CBS prefix (NL00 in KWB, NL01 elsewhere).
        case
            when region_code like 'NL%' then 'land'
            when region_code like 'LD%' then 'landsdeel'
            when region_code like 'PV%' then 'provincie'
            when region_code like 'CR%' then 'corop'
            when region_code like 'JZ%' then 'jeugdregio'
            when region_code like 'GM%' then 'gemeente'
            when region_code like 'WK%' then 'wijk'
            when region_code like 'BU%' then 'buurt'
            when region_code is not null then 'overig'
        end as niveau,
        -- The gemeente a GM, WK or BU code lies in: the four digits messages use.
        case
            -- (SIMILAR TO matches the whole text, and `.` is a regex on DuckDB only: no `.*`)
            when
                substr(region_code, 1, 2) in ('GM', 'WK', 'BU')
                and substr(region_code, 3, 4) similar to '[0-9]{4}'
                then substr(region_code, 3, 4)
        end as gemeente_code,
        period_code as periode_code,
        {{ cbs_period('period_code') }},
        dimensions,
        measure_key,
        measure_stable_key,
        -- "-" is StatLine's nil: the figure is truly zero. `value` is raw's name for it.
        case when value_attribute = '-' then 0 else value end as value,  -- noqa: RF04
        value_text,
        value_attribute,
        case
            when value is not null or value_text is not null or value_attribute = '-' then null
            when value_attribute = '.' then 'onbekend, onvoldoende betrouwbaar of geheim'
            when value_attribute = 'x' then 'geheim'
            when value_attribute is null then 'leeg'
            else value_attribute
        end as missing_reason
    from source
)

select * from renamed
