-- One row per aanbieder in the messages, with its name from the gemeenten's aanbieder registers
-- (its AGB code where none names it).
with aanbieders as (
    select * from {{ ref('aanbieders') }}
),

namen as (
    select * from {{ ref('aanbieder_namen') }}
),

final as (
    select
        aanbieders.aanbieder_agb,
        namen.kvk_nummer,
        namen.aanbieder_soort,
        aanbieders.levert_wmo,
        aanbieders.levert_jeugd,
        aanbieders.gemeente_count,
        aanbieders.eerste_bericht_datum,
        aanbieders.laatste_bericht_datum,
        coalesce(namen.aanbieder_naam, aanbieders.aanbieder_agb) as aanbieder_naam,
        namen.aanbieder_agb is not null as is_geregistreerd
    from aanbieders
    left join namen on aanbieders.aanbieder_agb = namen.aanbieder_agb
)

select * from final
