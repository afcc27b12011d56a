-- One row per gemeente, aanbieder, standard and month: how complete and timely the aanbieder's
-- message traffic is. Toewijzingen count in the month of their Ingangsdatum, starts in the month
-- of their Begindatum.
with toewijzingen as (
    select * from {{ ref('toewijzing_opvolging') }}
),

zorgperioden as (
    select * from {{ ref('zorgperioden') }}
),

toewijzing_maand as (
    select
        gemeente_code,
        aanbieder_agb,
        standard,
        cast(date_trunc('month', ingangsdatum) as date) as maand_start,
        count(*) as toewijzingen_ingegaan,
        count(*) filter (where is_zonder_start) as toewijzingen_zonder_start
    from toewijzingen
    group by 1, 2, 3, 4
),

start_maand as (
    select
        gemeente_code,
        aanbieder_agb,
        standard,
        cast(date_trunc('month', begindatum) as date) as maand_start,
        count(*) as starts_gemeld,
        count(*) filter (where is_start_te_laat_gemeld) as starts_te_laat_gemeld
    from zorgperioden
    group by 1, 2, 3, 4
),

final as (
    select
        coalesce(toewijzing_maand.gemeente_code, start_maand.gemeente_code) as gemeente_code,
        coalesce(toewijzing_maand.aanbieder_agb, start_maand.aanbieder_agb) as aanbieder_agb,
        coalesce(toewijzing_maand.standard, start_maand.standard) as standard,
        coalesce(toewijzing_maand.maand_start, start_maand.maand_start) as maand_start,
        coalesce(toewijzing_maand.toewijzingen_ingegaan, 0) as toewijzingen_ingegaan,
        coalesce(toewijzing_maand.toewijzingen_zonder_start, 0) as toewijzingen_zonder_start,
        coalesce(start_maand.starts_gemeld, 0) as starts_gemeld,
        coalesce(start_maand.starts_te_laat_gemeld, 0) as starts_te_laat_gemeld,
        cast(toewijzing_maand.toewijzingen_zonder_start as double precision)
        / nullif(toewijzing_maand.toewijzingen_ingegaan, 0) as aandeel_zonder_start,
        cast(start_maand.starts_te_laat_gemeld as double precision)
        / nullif(start_maand.starts_gemeld, 0) as aandeel_te_laat_gemeld
    from toewijzing_maand
    full outer join start_maand
        on
            toewijzing_maand.gemeente_code = start_maand.gemeente_code
            and toewijzing_maand.aanbieder_agb = start_maand.aanbieder_agb
            and toewijzing_maand.standard = start_maand.standard
            and toewijzing_maand.maand_start = start_maand.maand_start
)

select * from final
