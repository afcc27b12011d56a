-- One row per product code an aanbieder used for a toewijzing in a 305, 307 or 323, with
-- whether the gemeente knows the code. The gemeente's product list (per standard) is its inkoop
-- catalogue where it loaded one (any year, any aanbieder), else the codes it allocates itself:
-- a code no toewijzing of the gemeente ever carried is not on it.
with gebruik as (
    select
        standard,
        gemeente_code,
        aanbieder_agb,
        toewijzing_nummer,
        product_code,
        dagtekening
    from ({{ message_records(ref('stg_istandaarden__start_producten')) }}) as start_records
    union all
    select
        standard,
        gemeente_code,
        aanbieder_agb,
        toewijzing_nummer,
        product_code,
        dagtekening
    from ({{ message_records(ref('stg_istandaarden__stop_producten')) }}) as stop_records
    union all
    select
        standard,
        gemeente_code,
        aanbieder_agb,
        toewijzing_nummer,
        product_code,
        dagtekening
    from ({{ message_records(ref('stg_istandaarden__prestaties')) }}) as prestatie_records
),

-- When the code was first used: the date its finding is dated by.
gebruikt as (
    select
        standard,
        gemeente_code,
        aanbieder_agb,
        toewijzing_nummer,
        product_code,
        min(dagtekening) as eerste_dagtekening
    from gebruik
    group by 1, 2, 3, 4, 5
),

catalogus as (
    select distinct
        standard,
        gemeente_code,
        product_code
    from {{ ref('inkoop') }}
    where product_code is not null
),

toegewezen as (
    select distinct
        standard,
        gemeente_code,
        product_code
    from {{ ref('toewijzing_versies') }}
    where product_code is not null
),

productlijst as (
    select * from catalogus
    union all
    select toegewezen.*
    from toegewezen
    where not exists (
        select 1
        from catalogus
        where
            catalogus.standard = toegewezen.standard
            and catalogus.gemeente_code = toegewezen.gemeente_code
    )
),

final as (
    select
        {{ surrogate_key([
            'gebruikt.standard', 'gebruikt.gemeente_code', 'gebruikt.aanbieder_agb',
            'gebruikt.toewijzing_nummer', 'gebruikt.product_code'
        ]) }} as gebruikte_productcode_id,
        gebruikt.standard,
        gebruikt.gemeente_code,
        gebruikt.aanbieder_agb,
        gebruikt.toewijzing_nummer,
        gebruikt.product_code,
        gebruikt.eerste_dagtekening,
        gebruikt.product_code is null or productlijst.product_code is not null
            as is_bekende_productcode
    from gebruikt
    left join productlijst
        on
            gebruikt.standard = productlijst.standard
            and gebruikt.gemeente_code = productlijst.gemeente_code
            and gebruikt.product_code = productlijst.product_code
)

select * from final
