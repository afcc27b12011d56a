-- One row per streefwaarde that counts: of each gebied and year the lines of the streefwaarden
-- file loaded last for it, so a corrected file replaces what it covers (every KPI of that gebied
-- and year: a KPI left out of the corrected file has no target any more) and leaves the rest.
-- The period becomes its year and first and last month.
with files as (
    select * from {{ ref('stg_doelen__files') }}
    where status = 'loaded'
),

regels as (
    select
        regels.*,
        files.loaded_at,
        cast(substring(regels.periode, 1, 4) as integer) as jaar,
        case
            when length(regels.periode) = 4 then 1
            when substring(regels.periode, 6, 1) = 'Q'
                then 3 * cast(substring(regels.periode, 7, 1) as integer) - 2
            when substring(regels.periode, 6, 1) = 'H'
                then 6 * cast(substring(regels.periode, 7, 1) as integer) - 5
            else cast(substring(regels.periode, 6, 2) as integer)
        end as maand_van,
        case
            when length(regels.periode) = 4 then 12
            when substring(regels.periode, 6, 1) = 'Q'
                then 3 * cast(substring(regels.periode, 7, 1) as integer)
            when substring(regels.periode, 6, 1) = 'H'
                then 6 * cast(substring(regels.periode, 7, 1) as integer)
            else cast(substring(regels.periode, 6, 2) as integer)
        end as maand_tot
    from {{ ref('stg_doelen__streefwaarden') }} as regels
    inner join files on regels.file_id = files.file_id
),

versies as (
    select
        *,
        dense_rank() over (
            partition by gebied_code, jaar
            order by loaded_at desc, file_id desc
        ) as versie
    from regels
),

final as (
    select
        file_id,
        line_number,
        loaded_at,
        gebied_code,
        jaar,
        periode,
        maand_van,
        maand_tot,
        kpi,
        standard,
        streefwaarde,
        richting,
        signaalmarge
    from versies
    where versie = 1
)

select * from final
