with source as (
    select * from {{ source('kwaliteit', 'dq_check_results') }}
),

renamed as (
    select
        run_id,
        run_at,
        check_name,
        severity,
        gemeente_code,
        aanbieder_agb,
        finding_key,
        reference,
        {{ safe_cast("finding_date", "date") }} as finding_date,
        detail
    from source
)

select * from renamed
