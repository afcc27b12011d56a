-- One row per day. werkdag_nummer counts working days (Monday to Friday; public holidays are not
-- taken out yet), so the working days between two dates are a subtraction, not a scan.
with days as (
    {{ date_spine(var('dim_datum_start'), var('dim_datum_end')) }}
),

flagged as (
    select
        datum,
        extract(isodow from datum) < 6 as is_werkdag
    from days
),

final as (
    select
        datum,
        is_werkdag,
        cast(sum(case when is_werkdag then 1 else 0 end) over (
            order by datum rows between unbounded preceding and current row
        ) as integer) as werkdag_nummer
    from flagged
)

select * from final
