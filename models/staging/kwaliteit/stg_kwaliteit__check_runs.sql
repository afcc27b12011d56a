with source as (
    select * from {{ source('kwaliteit', 'dq_check_runs') }}
),

renamed as (
    select
        run_id,
        run_at,
        check_name,
        suite_name,
        table_name,
        severity,
        explanation,
        evaluated_count,
        finding_count,
        success as is_success
    from source
)

select * from renamed
