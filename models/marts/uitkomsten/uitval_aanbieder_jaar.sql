-- One row per gemeente, standard, aanbieder, productcategorie and year of ending: of the
-- zorgperioden that ended in the year, how many ended prematurely (uitval: afloop voortijdig,
-- from RedenBeeindiging through the seed reden_beeindiging, keyed by standard and release),
-- by whom, next to the peers: every aanbieder of the same gemeente, standard and
-- productcategorie that year, pooled. A stop dated before its start is left out.
with zorgperioden as (
    select * from {{ ref('zorgperioden') }}
),

beeindigd as (
    select
        gemeente_code,
        standard,
        aanbieder_agb,
        product_categorie,
        cast(extract(year from einddatum) as integer) as jaar,
        count(*) as zorgperioden_beeindigd,
        count(*) filter (where afloop like 'voortijdig%') as zorgperioden_uitval,
        count(*) filter (where afloop = 'voortijdig_client') as uitval_door_client,
        count(*) filter (where afloop = 'voortijdig_aanbieder') as uitval_door_aanbieder,
        count(*) filter (
            where afloop = 'voortijdig_overeenstemming'
        ) as uitval_in_overeenstemming,
        count(*) filter (where afloop = 'voortijdig_extern') as uitval_extern
    from zorgperioden
    where einddatum is not null and einddatum >= begindatum
    group by 1, 2, 3, 4, 5
),

peers as (
    select
        gemeente_code,
        standard,
        product_categorie,
        jaar,
        count(*) as peer_aanbieders,
        sum(zorgperioden_beeindigd) as peer_zorgperioden_beeindigd,
        sum(zorgperioden_uitval) as peer_zorgperioden_uitval
    from beeindigd
    group by 1, 2, 3, 4
),

final as (
    select
        beeindigd.gemeente_code,
        beeindigd.standard,
        beeindigd.aanbieder_agb,
        beeindigd.product_categorie,
        beeindigd.jaar,
        beeindigd.zorgperioden_beeindigd,
        beeindigd.zorgperioden_uitval,
        beeindigd.uitval_door_client,
        beeindigd.uitval_door_aanbieder,
        beeindigd.uitval_in_overeenstemming,
        beeindigd.uitval_extern,
        peers.peer_aanbieders,
        cast(beeindigd.zorgperioden_uitval as double precision)
        / beeindigd.zorgperioden_beeindigd as aandeel_uitval,
        cast(peers.peer_zorgperioden_uitval as double precision)
        / peers.peer_zorgperioden_beeindigd as peer_aandeel_uitval,
        cast(beeindigd.zorgperioden_uitval as double precision)
        / beeindigd.zorgperioden_beeindigd
        - cast(peers.peer_zorgperioden_uitval as double precision)
        / peers.peer_zorgperioden_beeindigd as verschil_met_peers
    from beeindigd
    inner join peers
        on
            beeindigd.gemeente_code = peers.gemeente_code
            and beeindigd.standard = peers.standard
            and beeindigd.product_categorie = peers.product_categorie
            and beeindigd.jaar = peers.jaar
)

select * from final
