with source as (
    select * from {{ source('doelen', 'doelen_regels_quarantaine') }}
),

renamed as (
    select
        file_id,
        layout,
        line_number,
        reason
    from source
)

select * from renamed
