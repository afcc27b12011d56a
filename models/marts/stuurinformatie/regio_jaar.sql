-- One row per region, standard and year: clients in zorg, wachttijd and zorgduur of the
-- region's gemeenten that year, computed over the pooled rows (distinct clients across the
-- gemeenten, medians and percentiles over all their zorgperioden), never from the gemeenten's
-- own figures: a median of medians is not the region's median. See the glossary's regio.
with zorgperioden as (
    select * from {{ ref('zorgperioden') }}
    where begindatum <= {{ peildatum() }}
),

leden as (
    select * from {{ ref('regio_gemeente_jaren') }}
),

jaren as (
    select distinct cast(extract(year from datum) as integer) as jaar
    from {{ ref('kalender') }}
),

regio_jaren as (
    select
        regio_soort,
        regio_code,
        jaar,
        max(regio_naam) as regio_naam,
        count(distinct gemeente_code) as gemeenten
    from leden
    group by regio_soort, regio_code, jaar
),

in_zorg as (
    select
        leden.regio_soort,
        leden.regio_code,
        zorgperioden.standard,
        jaren.jaar,
        count(distinct zorgperioden.client_pseudonym) as clienten_in_zorg
    from zorgperioden
    inner join jaren
        on
            zorgperioden.begindatum <= make_date(jaren.jaar, 12, 31)
            and coalesce(zorgperioden.einddatum, {{ peildatum() }})
            >= make_date(jaren.jaar, 1, 1)
    inner join leden
        on zorgperioden.gemeente_code = leden.gemeente_code and jaren.jaar = leden.jaar
    -- a stop before its start is a quality finding, not care
    where zorgperioden.einddatum is null or zorgperioden.einddatum >= zorgperioden.begindatum
    group by leden.regio_soort, leden.regio_code, zorgperioden.standard, jaren.jaar
),

gestart as (
    select
        leden.regio_soort,
        leden.regio_code,
        zorgperioden.standard,
        leden.jaar,
        count(*) as zorgperioden_gestart,
        {{ percentile('zorgperioden.wachttijd_dagen', 0.5) }} as wachttijd_mediaan,
        {{ percentile('zorgperioden.wachttijd_dagen', 0.8) }} as wachttijd_p80
    from zorgperioden
    inner join leden
        on
            zorgperioden.gemeente_code = leden.gemeente_code
            and extract(year from zorgperioden.begindatum) = leden.jaar
    group by leden.regio_soort, leden.regio_code, zorgperioden.standard, leden.jaar
),

beeindigd as (
    select
        leden.regio_soort,
        leden.regio_code,
        zorgperioden.standard,
        leden.jaar,
        count(*) as zorgperioden_beeindigd,
        {{ percentile('zorgperioden.zorgduur_dagen', 0.5) }} as zorgduur_mediaan,
        {{ percentile('zorgperioden.zorgduur_dagen', 0.8) }} as zorgduur_p80
    from zorgperioden
    inner join leden
        on
            zorgperioden.gemeente_code = leden.gemeente_code
            and extract(year from zorgperioden.einddatum) = leden.jaar
    where zorgperioden.zorgduur_dagen is not null
    group by leden.regio_soort, leden.regio_code, zorgperioden.standard, leden.jaar
),

final as (
    select
        in_zorg.regio_soort,
        in_zorg.regio_code,
        regio_jaren.regio_naam,
        in_zorg.standard,
        in_zorg.jaar,
        regio_jaren.gemeenten,
        in_zorg.clienten_in_zorg,
        gestart.wachttijd_mediaan,
        gestart.wachttijd_p80,
        beeindigd.zorgduur_mediaan,
        beeindigd.zorgduur_p80,
        coalesce(gestart.zorgperioden_gestart, 0) as zorgperioden_gestart,
        coalesce(beeindigd.zorgperioden_beeindigd, 0) as zorgperioden_beeindigd
    from in_zorg
    inner join regio_jaren
        on
            in_zorg.regio_soort = regio_jaren.regio_soort
            and in_zorg.regio_code = regio_jaren.regio_code
            and in_zorg.jaar = regio_jaren.jaar
    left join gestart
        on
            in_zorg.regio_soort = gestart.regio_soort
            and in_zorg.regio_code = gestart.regio_code
            and in_zorg.standard = gestart.standard
            and in_zorg.jaar = gestart.jaar
    left join beeindigd
        on
            in_zorg.regio_soort = beeindigd.regio_soort
            and in_zorg.regio_code = beeindigd.regio_code
            and in_zorg.standard = beeindigd.standard
            and in_zorg.jaar = beeindigd.jaar
)

select * from final
