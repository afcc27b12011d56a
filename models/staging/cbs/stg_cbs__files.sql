with source as (
    select * from {{ source('cbs', 'cbs_files') }}
),

renamed as (
    select
        file_id,
        path,
        size_bytes,
        status,
        reason,
        layout,
        collection,
        table_id,
        table_title,
        {{ safe_cast('edition', 'timestamp') }} as edition,
        next_link,
        row_count,
        observation_count,
        period_min,
        period_max,
        loaded_at
    from source
)

select * from renamed
