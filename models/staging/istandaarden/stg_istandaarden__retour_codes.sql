with source as (
    select * from {{ source('istandaarden', 'retour_codes') }}
),

renamed as (
    select
        file_id,
        level,
        client_seq,
        record_table,
        record_seq,
        code_seq,
        retour_code
    from source
)

select * from renamed
