-- One row per gemeente, standard, wijk, year and age band: clients in zorg that year who live in
-- the wijk (by the latest address a 301 gave, mapped to its buurt), per 1,000 inwoners of the
-- band (CBS Kerncijfers wijken en buurten of that year), next to CBS's own KWB count of the
-- wijk's jongeren met jeugdzorg (Jeugd) or Wmo-cliënten (Wmo). Every wijk of the gemeente the
-- KWB lists has every band, zero where nobody is in zorg; the band is the age reached in the
-- year (the year minus the birth year), 'onbekend' without a birth year.
with zorgperioden as (
    select * from {{ ref('zorgperioden') }}
    where einddatum is null or einddatum >= begindatum
),

clienten as (
    select * from {{ ref('clienten') }}
),

kwb as (
    select * from {{ ref('kwb_gebieden') }}
    where gebied_niveau = 'wijk'
),

jaren as (
    select distinct cast(extract(year from datum) as integer) as jaar
    from {{ ref('kalender') }}
),

-- The age bands of CBS's Kerncijfers wijken en buurten.
banden as (
    select
        '0-14' as leeftijdsklasse,
        0 as van,
        14 as tot
    union all
    select
        '15-24' as leeftijdsklasse,
        15 as van,
        24 as tot
    union all
    select
        '25-44' as leeftijdsklasse,
        25 as van,
        44 as tot
    union all
    select
        '45-64' as leeftijdsklasse,
        45 as van,
        64 as tot
    union all
    select
        '65+' as leeftijdsklasse,
        65 as van,
        200 as tot
    union all
    select
        'onbekend' as leeftijdsklasse,
        null as van,
        null as tot
),

in_zorg as (
    select distinct
        zorgperioden.gemeente_code,
        zorgperioden.standard,
        clienten.wijk_code,
        jaren.jaar,
        zorgperioden.client_pseudonym,
        jaren.jaar - clienten.geboortejaar as leeftijd
    from zorgperioden
    inner join jaren
        on
            zorgperioden.begindatum <= make_date(jaren.jaar, 12, 31)
            and coalesce(zorgperioden.einddatum, {{ peildatum() }})
            >= make_date(jaren.jaar, 1, 1)
    inner join clienten
        on zorgperioden.client_pseudonym = clienten.client_pseudonym
    where zorgperioden.begindatum <= {{ peildatum() }} and clienten.wijk_code is not null
),

geteld as (
    select
        in_zorg.gemeente_code,
        in_zorg.standard,
        in_zorg.wijk_code,
        in_zorg.jaar,
        banden.leeftijdsklasse,
        count(*) as clienten_in_zorg
    from in_zorg
    inner join banden
        on
            (in_zorg.leeftijd between banden.van and banden.tot)
            or (in_zorg.leeftijd is null and banden.leeftijdsklasse = 'onbekend')
    group by
        in_zorg.gemeente_code,
        in_zorg.standard,
        in_zorg.wijk_code,
        in_zorg.jaar,
        banden.leeftijdsklasse
),

-- Every wijk the KWB lists for the gemeente, and every wijk where its clients live, in every
-- year of the calendar and both standards.
wijken as (
    select distinct
        gemeente_code,
        wijk_code
    from kwb
    union
    select distinct
        gemeente_code,
        wijk_code
    from in_zorg
),

standaarden as (
    select 'iwmo' as standard
    union all
    select 'ijw' as standard
),

spine as (
    select
        wijken.gemeente_code,
        standaarden.standard,
        wijken.wijk_code,
        jaren.jaar,
        banden.leeftijdsklasse
    from wijken
    cross join standaarden
    cross join jaren
    cross join banden
),

final as (
    select
        spine.gemeente_code,
        spine.standard,
        spine.wijk_code,
        kwb.naam as wijk_naam,
        spine.jaar,
        spine.leeftijdsklasse,
        coalesce(geteld.clienten_in_zorg, 0) as clienten_in_zorg,
        case spine.leeftijdsklasse
            when '0-14' then kwb.inwoners_0_14
            when '15-24' then kwb.inwoners_15_24
            when '25-44' then kwb.inwoners_25_44
            when '45-64' then kwb.inwoners_45_64
            when '65+' then kwb.inwoners_65_plus
        end as inwoners,
        case spine.standard
            when 'ijw' then kwb.cbs_jongeren_met_jeugdzorg
            else kwb.cbs_wmo_clienten
        end as cbs_clienten_wijk
    from spine
    left join geteld
        on
            spine.gemeente_code = geteld.gemeente_code
            and spine.standard = geteld.standard
            and spine.wijk_code = geteld.wijk_code
            and spine.jaar = geteld.jaar
            and spine.leeftijdsklasse = geteld.leeftijdsklasse
    left join kwb
        on spine.wijk_code = kwb.wijk_code and spine.jaar = kwb.jaar
)

select
    *,
    1000.0 * clienten_in_zorg / nullif(inwoners, 0) as per_1000_inwoners
from final
