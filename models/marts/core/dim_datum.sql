-- One row per calendar day: the time axis of every mart and the semantic layer's time spine.
with kalender as (
    select * from {{ ref('kalender') }}
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
        is_werkdag,
        werkdag_nummer
    from kalender
)

select * from final
