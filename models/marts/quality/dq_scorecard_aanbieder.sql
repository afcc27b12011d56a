-- One row per aanbieder, gemeente, month and check: messages and open findings, so an
-- aanbieder's data quality can be followed month by month and compared with its peers.
with findings as (
    select * from {{ ref('dq_findings') }}
    where status = 'open' and aanbieder_agb is not null
),

checks as (
    select distinct
        check_name,
        severity
    from {{ ref('stg_kwaliteit__check_runs') }}
),

check_namen as (
    select * from {{ ref('kwaliteitscontrole') }}
),

berichten as (
    select
        aanbieder_agb,
        gemeente_code,
        cast(date_trunc('month', dagtekening) as date) as maand_start,
        count(*) as berichten
    from {{ ref('berichten') }}
    group by 1, 2, 3
),

finding_counts as (
    select
        aanbieder_agb,
        gemeente_code,
        check_name,
        cast(date_trunc('month', finding_date) as date) as maand_start,
        count(*) as open_findings
    from findings
    group by 1, 2, 3, 4
),

maanden as (
    select
        aanbieder_agb,
        gemeente_code,
        maand_start
    from berichten
    union
    select
        aanbieder_agb,
        gemeente_code,
        maand_start
    from finding_counts
),

final as (
    select
        maanden.aanbieder_agb,
        maanden.gemeente_code,
        maanden.maand_start,
        checks.check_name,
        checks.severity,
        coalesce(check_namen.naam, checks.check_name) as check_naam,
        coalesce(berichten.berichten, 0) as berichten,
        coalesce(finding_counts.open_findings, 0) as open_findings,
        cast(100 * coalesce(finding_counts.open_findings, 0) as double precision)
        / nullif(berichten.berichten, 0) as findings_per_100_berichten
    from maanden
    cross join checks
    left join check_namen
        on checks.check_name = check_namen.check_name
    left join berichten
        on
            maanden.aanbieder_agb = berichten.aanbieder_agb
            and maanden.gemeente_code = berichten.gemeente_code
            and maanden.maand_start = berichten.maand_start
    left join finding_counts
        on
            maanden.aanbieder_agb = finding_counts.aanbieder_agb
            and maanden.gemeente_code = finding_counts.gemeente_code
            and maanden.maand_start = finding_counts.maand_start
            and checks.check_name = finding_counts.check_name
)

select * from final
