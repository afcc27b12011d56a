-- One row per gemeente, standard, aanbieder, productcategorie and year of ending: the outcomes
-- of the zorgperioden that ended, side by side: the response rate of the outcome reports, the
-- doelrealisatie and tevredenheid they report, uitval, and herhaald beroep within 12 months,
-- each next to the peers (every aanbieder of the same gemeente, standard and productcategorie
-- that year, pooled). A stop dated before its start is no ended care.
with zorgperioden as (
    select * from {{ ref('zorgperioden') }}
    where einddatum >= begindatum
),

meldingen as (
    select * from {{ ref('uitkomst_meldingen') }}
    where is_gekoppeld
),

terugkeer as (
    select * from {{ ref('terugkeer') }}
),

per_zorgperiode as (
    select
        zorgperioden.gemeente_code,
        zorgperioden.standard,
        zorgperioden.aanbieder_agb,
        zorgperioden.product_categorie,
        meldingen.doelrealisatie,
        meldingen.tevredenheid,
        cast(extract(year from zorgperioden.einddatum) as integer) as jaar,
        meldingen.zorgperiode_id is not null as is_gemeld,
        coalesce(zorgperioden.afloop like 'voortijdig%', false) as is_uitval,
        terugkeer.zorgperiode_id is not null
        and zorgperioden.einddatum + interval '12 months' <= {{ peildatum() }} as is_12m_bekend,
        coalesce(
            terugkeer.volgende_begindatum <= zorgperioden.einddatum + interval '12 months', false
        ) as is_terug_binnen_12m
    from zorgperioden
    left join meldingen on zorgperioden.zorgperiode_id = meldingen.zorgperiode_id
    left join terugkeer on zorgperioden.zorgperiode_id = terugkeer.zorgperiode_id
),

aanbieders as (
    select
        gemeente_code,
        standard,
        aanbieder_agb,
        product_categorie,
        jaar,
        count(*) as zorgperioden_beeindigd,
        count(*) filter (where is_gemeld) as zorgperioden_gemeld,
        count(doelrealisatie) as doelrealisatie_gemeld,
        count(*) filter (where doelrealisatie = 'ja') as doel_bereikt,
        count(*) filter (where doelrealisatie = 'deels') as doel_deels_bereikt,
        count(tevredenheid) as tevredenheid_gemeld,
        sum(tevredenheid) as tevredenheid_som,
        count(*) filter (where is_uitval) as zorgperioden_uitval,
        count(*) filter (where is_12m_bekend) as beeindigd_volgens_plan_12m_bekend,
        count(*) filter (where is_12m_bekend and is_terug_binnen_12m) as herhaald_beroep_12m
    from per_zorgperiode
    group by 1, 2, 3, 4, 5
),

peers as (
    select
        gemeente_code,
        standard,
        product_categorie,
        jaar,
        count(*) as peer_aanbieders,
        sum(zorgperioden_beeindigd) as beeindigd,
        sum(zorgperioden_gemeld) as gemeld,
        sum(doelrealisatie_gemeld) as doelrealisatie_gemeld,
        sum(doel_bereikt) as doel_bereikt,
        sum(tevredenheid_gemeld) as tevredenheid_gemeld,
        sum(tevredenheid_som) as tevredenheid_som,
        sum(zorgperioden_uitval) as uitval,
        sum(beeindigd_volgens_plan_12m_bekend) as bekend_12m,
        sum(herhaald_beroep_12m) as herhaald_12m
    from aanbieders
    group by 1, 2, 3, 4
),

final as (
    select
        aanbieders.gemeente_code,
        aanbieders.standard,
        aanbieders.aanbieder_agb,
        aanbieders.product_categorie,
        aanbieders.jaar,
        aanbieders.zorgperioden_beeindigd,
        aanbieders.zorgperioden_gemeld,
        aanbieders.doelrealisatie_gemeld,
        aanbieders.doel_bereikt,
        aanbieders.doel_deels_bereikt,
        aanbieders.tevredenheid_gemeld,
        aanbieders.zorgperioden_uitval,
        aanbieders.beeindigd_volgens_plan_12m_bekend,
        aanbieders.herhaald_beroep_12m,
        peers.peer_aanbieders,
        cast(aanbieders.zorgperioden_gemeld as double precision)
        / aanbieders.zorgperioden_beeindigd as respons,
        cast(aanbieders.doel_bereikt as double precision)
        / nullif(aanbieders.doelrealisatie_gemeld, 0) as aandeel_doel_bereikt,
        cast(aanbieders.tevredenheid_som as double precision)
        / nullif(aanbieders.tevredenheid_gemeld, 0) as tevredenheid_gemiddeld,
        cast(aanbieders.zorgperioden_uitval as double precision)
        / aanbieders.zorgperioden_beeindigd as aandeel_uitval,
        cast(aanbieders.herhaald_beroep_12m as double precision)
        / nullif(aanbieders.beeindigd_volgens_plan_12m_bekend, 0) as aandeel_herhaald_beroep_12m,
        cast(peers.gemeld as double precision) / peers.beeindigd as peer_respons,
        cast(peers.doel_bereikt as double precision)
        / nullif(peers.doelrealisatie_gemeld, 0) as peer_aandeel_doel_bereikt,
        cast(peers.tevredenheid_som as double precision)
        / nullif(peers.tevredenheid_gemeld, 0) as peer_tevredenheid_gemiddeld,
        cast(peers.uitval as double precision) / peers.beeindigd as peer_aandeel_uitval,
        cast(peers.herhaald_12m as double precision)
        / nullif(peers.bekend_12m, 0) as peer_aandeel_herhaald_beroep_12m
    from aanbieders
    inner join peers
        on
            aanbieders.gemeente_code = peers.gemeente_code
            and aanbieders.standard = peers.standard
            and aanbieders.product_categorie = peers.product_categorie
            and aanbieders.jaar = peers.jaar
)

select * from final
