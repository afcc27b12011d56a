-- One row per gemeente, aanbieder, standard, productcategorie and year: what the aanbieder
-- delivered and how, next to its peers (every aanbieder of the same gemeente, standard and
-- productcategorie that year). Wachttijd counts starts begun in the year, zorgduur and afloop
-- the zorgperioden that ended in it; a stop before its start is left out of both. Omzet counts
-- the declaratieregels whose ProductPeriode begins in the year, cost per client divides it by
-- the clients declared for, next to the peers' median.
with zorgperioden as (
    select * from {{ ref('zorgperioden') }}
),

jaren as (
    select distinct cast(extract(year from datum) as integer) as jaar
    from {{ ref('kalender') }}
),

toewijzingen as (
    select
        opvolging.*,
        cast(extract(year from opvolging.ingangsdatum) as integer) as jaar,
        opvolging.zorgperiode_count > 0 as is_gestart,
        exists(
            select 1
            from {{ ref('declaratieregels') }} as regels
            where regels.toewijzing_id = opvolging.toewijzing_id
        ) as is_gedeclareerd
    from {{ ref('toewijzing_opvolging') }} as opvolging
),

gedeclareerd as (
    select
        gemeente_code,
        aanbieder_agb,
        standard,
        product_categorie,
        cast(extract(year from begindatum) as integer) as jaar,
        count(distinct client_pseudonym) as clienten_gedeclareerd,
        sum(ingediend_eurocent) as ingediend_eurocent
    from {{ ref('declaratieregels') }}
    group by 1, 2, 3, 4, 5
),

gestart as (
    select
        gemeente_code,
        aanbieder_agb,
        standard,
        product_categorie,
        cast(extract(year from begindatum) as integer) as jaar,
        count(distinct client_pseudonym) as clienten_gestart,
        {{ percentile('wachttijd_dagen', 0.5) }} as wachttijd_mediaan,
        {{ percentile('wachttijd_dagen', 0.8) }} as wachttijd_p80
    from zorgperioden
    group by 1, 2, 3, 4, 5
),

beeindigd as (
    select
        gemeente_code,
        aanbieder_agb,
        standard,
        product_categorie,
        cast(extract(year from einddatum) as integer) as jaar,
        count(*) as zorgperioden_beeindigd,
        {{ percentile('zorgduur_dagen', 0.5) }} as zorgduur_mediaan,
        count(*) filter (where afloop = 'volgens_plan') as beeindigd_volgens_plan,
        count(*) filter (where afloop = 'voortijdig_client') as beeindigd_door_client,
        count(*) filter (where afloop = 'voortijdig_aanbieder') as beeindigd_door_aanbieder,
        count(*) filter (where afloop like 'voortijdig%') as beeindigd_voortijdig
    from zorgperioden
    where einddatum >= begindatum
    group by 1, 2, 3, 4, 5
),

toegewezen as (
    select
        gemeente_code,
        aanbieder_agb,
        standard,
        product_categorie,
        jaar,
        count(*) as toewijzingen_ingegaan,
        count(*) filter (where is_gestart) as toewijzingen_gestart,
        count(*) filter (where is_gedeclareerd) as toewijzingen_gedeclareerd
    from toewijzingen
    group by 1, 2, 3, 4, 5
),

clienten as (
    -- Clients with a zorgperiode of the aanbieder overlapping the year (running care up to the
    -- peildatum).
    select
        zorgperioden.gemeente_code,
        zorgperioden.aanbieder_agb,
        zorgperioden.standard,
        zorgperioden.product_categorie,
        jaren.jaar,
        count(distinct zorgperioden.client_pseudonym) as clienten_in_zorg
    from zorgperioden
    inner join jaren
        on
            zorgperioden.begindatum <= make_date(jaren.jaar, 12, 31)
            and coalesce(zorgperioden.einddatum, {{ peildatum() }})
            >= make_date(jaren.jaar, 1, 1)
    where
        zorgperioden.begindatum <= {{ peildatum() }}
        and (zorgperioden.einddatum is null or zorgperioden.einddatum >= zorgperioden.begindatum)
    group by 1, 2, 3, 4, 5
),

keys as (
    select
        gemeente_code,
        aanbieder_agb,
        standard,
        product_categorie,
        jaar
    from gestart
    union
    select
        gemeente_code,
        aanbieder_agb,
        standard,
        product_categorie,
        jaar
    from beeindigd
    union
    select
        gemeente_code,
        aanbieder_agb,
        standard,
        product_categorie,
        jaar
    from toegewezen
    union
    select
        gemeente_code,
        aanbieder_agb,
        standard,
        product_categorie,
        jaar
    from clienten
    union
    select
        gemeente_code,
        aanbieder_agb,
        standard,
        product_categorie,
        jaar
    from gedeclareerd
),

combined as (
    select
        keys.gemeente_code,
        keys.aanbieder_agb,
        keys.standard,
        keys.product_categorie,
        keys.jaar,
        gestart.wachttijd_mediaan,
        gestart.wachttijd_p80,
        beeindigd.zorgduur_mediaan,
        cast(coalesce(gedeclareerd.ingediend_eurocent, 0) / 100.0 as decimal(18, 2))
            as omzet_eur,
        -- rounded in whole cents first: half a cent rounds up on both targets (a double's
        -- 660.465 is 660.46499.. on DuckDB, PostgreSQL's numeric is exact)
        cast(
            round(
                gedeclareerd.ingediend_eurocent * 1.0
                / nullif(gedeclareerd.clienten_gedeclareerd, 0)
            ) / 100.0 as decimal(18, 2)
        ) as kosten_per_client_eur,
        coalesce(clienten.clienten_in_zorg, 0) as clienten_in_zorg,
        coalesce(gestart.clienten_gestart, 0) as clienten_gestart,
        coalesce(beeindigd.zorgperioden_beeindigd, 0) as zorgperioden_beeindigd,
        coalesce(toegewezen.toewijzingen_ingegaan, 0) as toewijzingen_ingegaan,
        cast(toegewezen.toewijzingen_gestart as double precision)
        / nullif(toegewezen.toewijzingen_ingegaan, 0) as aandeel_toewijzingen_gestart,
        cast(beeindigd.beeindigd_volgens_plan as double precision)
        / nullif(beeindigd.zorgperioden_beeindigd, 0) as aandeel_volgens_plan,
        cast(beeindigd.beeindigd_door_client as double precision)
        / nullif(beeindigd.zorgperioden_beeindigd, 0) as aandeel_voortijdig_door_client,
        cast(beeindigd.beeindigd_door_aanbieder as double precision)
        / nullif(beeindigd.zorgperioden_beeindigd, 0) as aandeel_voortijdig_door_aanbieder,
        cast(beeindigd.beeindigd_voortijdig as double precision)
        / nullif(beeindigd.zorgperioden_beeindigd, 0) as aandeel_voortijdig,
        cast(toegewezen.toewijzingen_gedeclareerd as double precision)
        / nullif(toegewezen.toewijzingen_ingegaan, 0) as aandeel_toewijzingen_gedeclareerd,
        coalesce(gedeclareerd.clienten_gedeclareerd, 0) as clienten_gedeclareerd
    from keys
    left join clienten using (gemeente_code, aanbieder_agb, standard, product_categorie, jaar)
    left join gestart using (gemeente_code, aanbieder_agb, standard, product_categorie, jaar)
    left join beeindigd using (gemeente_code, aanbieder_agb, standard, product_categorie, jaar)
    left join toegewezen using (gemeente_code, aanbieder_agb, standard, product_categorie, jaar)
    left join gedeclareerd using (gemeente_code, aanbieder_agb, standard, product_categorie, jaar)
),

peers as (
    -- The peers' typical value: the median over aanbieders of each aanbieder's median.
    select
        gemeente_code,
        standard,
        product_categorie,
        jaar,
        {{ percentile('zorgduur_mediaan', 0.5) }} as peer_zorgduur_mediaan,
        {{ percentile('wachttijd_mediaan', 0.5) }} as peer_wachttijd_mediaan,
        cast(
            {{ percentile('kosten_per_client_eur', 0.5) }} as decimal(18, 2)
        ) as peer_kosten_per_client_mediaan
    from combined
    group by 1, 2, 3, 4
),

final as (
    select
        combined.*,
        peers.peer_zorgduur_mediaan,
        peers.peer_wachttijd_mediaan,
        peers.peer_kosten_per_client_mediaan,
        -- Above 1: dearer per client than the typical peer; the outliers practitioners call
        -- zorg-cowboys stand out here, as do aanbieders with heavier clients.
        cast(combined.kosten_per_client_eur as double precision)
        / nullif(peers.peer_kosten_per_client_mediaan, 0) as kosten_per_client_ratio
    from combined
    inner join peers using (gemeente_code, standard, product_categorie, jaar)
)

select * from final
