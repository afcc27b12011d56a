-- One row per gemeente, standard, year, inkoop segment and perceel, and aanbieder with clients
-- in zorg there: its cost per client, hours per client and median zorgduur, next to the median
-- and interquartile range over every aanbieder of the same market, flagged where it lies more
-- than var('uitschieter_iqr_factor') interquartile ranges above the third quartile (hoog) or
-- below the first (laag): Tukey's fences, which a few extreme aanbieders do not drag along.
with activiteit as (
    select * from {{ ref('markt_activiteit') }}
),

per_aanbieder as (
    select
        gemeente_code,
        standard,
        jaar,
        segment,
        perceel,
        aanbieder_agb,
        count(*) filter (where is_in_zorg) as clienten,
        cast(sum(ingediend_eurocent) / 100.0 as double precision) as omzet_eur,
        cast(sum(uren) as double precision) as uren,
        count(zorgduur_dagen) as zorgperioden_beeindigd,
        {{ percentile('zorgduur_dagen', 0.5) }} as zorgduur_mediaan
    from activiteit
    group by 1, 2, 3, 4, 5, 6
),

maten as (
    select
        *,
        omzet_eur / clienten as kosten_per_client_eur,
        uren / clienten as uren_per_client
    from per_aanbieder
    where clienten > 0
),

markt as (
    select
        gemeente_code,
        standard,
        jaar,
        segment,
        perceel,
        count(*) as aanbieders,
        {{ percentile('kosten_per_client_eur', 0.25) }} as kosten_q1,
        {{ percentile('kosten_per_client_eur', 0.5) }} as kosten_mediaan,
        {{ percentile('kosten_per_client_eur', 0.75) }} as kosten_q3,
        {{ percentile('uren_per_client', 0.25) }} as uren_q1,
        {{ percentile('uren_per_client', 0.5) }} as uren_mediaan,
        {{ percentile('uren_per_client', 0.75) }} as uren_q3,
        {{ percentile('zorgduur_mediaan', 0.25) }} as zorgduur_q1,
        {{ percentile('zorgduur_mediaan', 0.5) }} as zorgduur_peer_mediaan,
        {{ percentile('zorgduur_mediaan', 0.75) }} as zorgduur_q3
    from maten
    group by 1, 2, 3, 4, 5
),

final as (
    select
        maten.gemeente_code,
        maten.standard,
        maten.jaar,
        maten.segment,
        maten.perceel,
        maten.aanbieder_agb,
        maten.clienten,
        maten.omzet_eur,
        maten.kosten_per_client_eur,
        maten.uren_per_client,
        maten.zorgperioden_beeindigd,
        maten.zorgduur_mediaan,
        markt.aanbieders,
        markt.kosten_mediaan,
        markt.uren_mediaan,
        markt.zorgduur_peer_mediaan,
        markt.kosten_q3 - markt.kosten_q1 as kosten_iqr,
        markt.uren_q3 - markt.uren_q1 as uren_iqr,
        markt.zorgduur_q3 - markt.zorgduur_q1 as zorgduur_iqr,
        {{ uitschieter('maten.kosten_per_client_eur', 'markt.kosten_q1', 'markt.kosten_q3') }}
            as kosten_signaal,
        {{ uitschieter('maten.uren_per_client', 'markt.uren_q1', 'markt.uren_q3') }}
            as uren_signaal,
        {{ uitschieter('maten.zorgduur_mediaan', 'markt.zorgduur_q1', 'markt.zorgduur_q3') }}
            as zorgduur_signaal
    from maten
    inner join markt
        on
            maten.gemeente_code = markt.gemeente_code
            and maten.standard = markt.standard
            and maten.jaar = markt.jaar
            and maten.segment = markt.segment
            and coalesce(maten.perceel, '') = coalesce(markt.perceel, '')
)

select * from final
