-- One row per gemeente, standard, year, inkoop segment and perceel, and aanbieder that was
-- active in it, contracted for it, or active in it the year before: its clients and omzet, its
-- shares of both and the change on the year before, and whether it entered or left.
with aandelen as (
    select * from {{ ref('markt_aandelen') }}
),

aanbieders as (
    select * from {{ ref('dim_aanbieder') }}
),

namen as (
    select * from {{ ref('aanbieder_namen') }}
),

final as (
    select
        aandelen.gemeente_code,
        aandelen.standard,
        aandelen.jaar,
        aandelen.segment,
        aandelen.perceel,
        aandelen.aanbieder_agb,
        aandelen.is_gecontracteerd,
        aandelen.is_actief,
        aandelen.clienten,
        aandelen.aandeel_clienten,
        aandelen.aandeel_omzet,
        aandelen.aandeel_clienten_vorig_jaar,
        aandelen.aandeel_omzet_vorig_jaar,
        aandelen.is_toetreder,
        aandelen.is_vertrokken,
        cast(aandelen.ingediend_eurocent / 100.0 as decimal(18, 2)) as omzet_eur,
        coalesce(aanbieders.aanbieder_naam, namen.aanbieder_naam, aandelen.aanbieder_agb)
            as aanbieder_naam,
        aandelen.aandeel_clienten - aandelen.aandeel_clienten_vorig_jaar
            as verschil_aandeel_clienten,
        aandelen.aandeel_omzet - aandelen.aandeel_omzet_vorig_jaar as verschil_aandeel_omzet
    from aandelen
    left join aanbieders on aandelen.aanbieder_agb = aanbieders.aanbieder_agb
    left join namen on aandelen.aanbieder_agb = namen.aanbieder_agb
)

select * from final
