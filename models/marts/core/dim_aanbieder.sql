with aanbieders as (
    select * from {{ ref('aanbieders') }}
),

final as (
    select
        aanbieder_agb,
        levert_wmo,
        levert_jeugd,
        gemeente_count,
        eerste_bericht_datum,
        laatste_bericht_datum
    from aanbieders
)

select * from final
