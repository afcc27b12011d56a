with source as (
    select * from {{ source('budget', 'budget_files') }}
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
        loaded_at
    from source
)

select * from renamed
