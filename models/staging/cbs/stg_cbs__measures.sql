with source as (
    select * from {{ source('cbs', 'cbs_measures') }}
),

renamed as (
    select
        file_id,
        table_id,
        measure_key,
        measure_stable_key,
        title,
        group_title,
        unit,
        {{ safe_cast('decimals', 'integer') }} as decimals,
        datatype,
        empty_meaning,
        description
    from source
)

select * from renamed
