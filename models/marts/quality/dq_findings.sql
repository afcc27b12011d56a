-- The history of every finding across check runs: a finding is open while the latest run of
-- its check still reports it, and closed (not forgotten) once a later run no longer does.
with results as (
    select * from {{ ref('stg_kwaliteit__check_results') }}
),

runs as (
    select * from {{ ref('stg_kwaliteit__check_runs') }}
),

-- what a user reads about the check, in Dutch (a check without a row shows its identifier)
check_namen as (
    select * from {{ ref('kwaliteitscontrole') }}
),

latest_run as (
    select
        check_name,
        max(run_at) as run_at
    from runs
    group by check_name
),

check_texts as (
    select
        check_name,
        severity,
        explanation,
        row_number() over (partition by check_name order by run_at desc) as recency
    from runs
),

history as (
    select
        check_name,
        finding_key,
        min(run_at) as first_detected_at,
        max(run_at) as last_detected_at,
        count(distinct run_id) as detected_in_runs
    from results
    group by check_name, finding_key
),

latest_detail as (
    select
        check_name,
        finding_key,
        gemeente_code,
        aanbieder_agb,
        reference,
        finding_date,
        detail,
        row_number() over (
            partition by check_name, finding_key order by run_at desc
        ) as recency
    from results
),

final as (
    select
        {{ surrogate_key(['history.check_name', 'history.finding_key']) }} as finding_id,
        history.check_name,
        coalesce(check_namen.naam, history.check_name) as check_naam,
        check_texts.severity,
        latest_detail.gemeente_code,
        latest_detail.aanbieder_agb,
        history.finding_key,
        latest_detail.reference,
        latest_detail.finding_date,
        latest_detail.detail,
        check_texts.explanation,
        check_namen.uitleg,
        history.first_detected_at,
        history.last_detected_at,
        history.detected_in_runs,
        case
            when history.last_detected_at = latest_run.run_at then 'open' else 'closed'
        end as status
    from history
    inner join latest_detail
        on
            history.check_name = latest_detail.check_name
            and history.finding_key = latest_detail.finding_key
            and latest_detail.recency = 1
    inner join check_texts
        on
            history.check_name = check_texts.check_name
            and check_texts.recency = 1
    inner join latest_run
        on history.check_name = latest_run.check_name
    left join check_namen
        on history.check_name = check_namen.check_name
)

select * from final
