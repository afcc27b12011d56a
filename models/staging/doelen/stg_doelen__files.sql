with source as (
    select * from {{ source('doelen', 'doelen_files') }}
),

renamed as (
    select
        file_id,
        path,
        size_bytes,
        status,
        reason,
        layout,
        row_count,
        lines_quarantined,
        loaded_at
    from source
)

select * from renamed
