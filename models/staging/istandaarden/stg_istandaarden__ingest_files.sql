with source as (
    select * from {{ source('istandaarden', 'ingest_files') }}
),

renamed as (
    select
        file_id,
        path,
        size_bytes,
        status,
        reason,
        standard,
        release,
        message_type,
        message_count,
        client_count,
        product_count,
        retour_code_count,
        invalid_bsn_count,
        xsd_file,
        content_fingerprint,
        loaded_at
    from source
)

select * from renamed
