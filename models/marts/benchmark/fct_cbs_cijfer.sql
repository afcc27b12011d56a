-- One row per CBS figure that counts (cleaned.cbs_cijfers), as BI tools read it.
with cijfers as (
    select * from {{ ref('cbs_cijfers') }}
),

final as (
    select
        cbs_cijfer_id,
        table_id,
        reeks,
        editie_jaar,
        editie,
        region_code,
        region_name,
        niveau,
        gemeente_code,
        huidige_gemeente_code,
        periode_code,
        periode_type,
        periode_start,
        periode_eind,
        dimensions,
        measure_key,
        measure_stable_key,
        measure_title,
        measure_unit,
        maat,
        value,
        afronding,
        value_text,
        missing_reason,
        file_id,
        loaded_at
    from cijfers
)

select * from final
