-- One row per calendar day: the time axis of every mart and the semantic layer's time spine.
with days as (
    {{ date_spine(var('dim_datum_start'), var('dim_datum_end')) }}
),

final as (
    select
        datum,
        cast(extract(year from datum) as integer) as jaar,
        cast(extract(quarter from datum) as integer) as kwartaal,
        cast(extract(month from datum) as integer) as maand,
        cast(date_trunc('month', datum) as date) as maand_start,
        cast(date_trunc('quarter', datum) as date) as kwartaal_start,
        cast(date_trunc('year', datum) as date) as jaar_start,
        cast(extract(isodow from datum) as integer) as iso_dag_van_week,
        extract(isodow from datum) < 6 as is_werkdag
    from days
)

select * from final
