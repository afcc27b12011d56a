with source as (
    select * from {{ source('cbs', 'cbs_dimension_codes') }}
),

renamed as (
    select
        file_id,
        table_id,
        dimension,
        code,
        title,
        status,
        description
    from source
)

select * from renamed
