-- One row per gemeente, standard, area, aanbieder and year: the aanbieder's share of the
-- clients in zorg living in the area. The area is the CBS buurt of the client's BRP address
-- when a postcode-to-buurt mapping is configured (SDW_POSTCODE_BUURT), else its 4-digit
-- postcode; 'onbekend' when no 301 gave the client an address.
with zorgperioden as (
    select * from {{ ref('zorgperioden') }}
    where einddatum is null or einddatum >= begindatum
),

clienten as (
    select
        client_pseudonym,
        coalesce(buurt_code, postcode4) as gebied
    from {{ ref('clienten') }}
),

jaren as (
    select distinct cast(extract(year from datum) as integer) as jaar
    from {{ ref('kalender') }}
),

in_zorg as (
    select distinct
        zorgperioden.gemeente_code,
        zorgperioden.standard,
        zorgperioden.aanbieder_agb,
        jaren.jaar,
        zorgperioden.client_pseudonym,
        coalesce(clienten.gebied, 'onbekend') as gebied
    from zorgperioden
    inner join jaren
        on
            zorgperioden.begindatum <= make_date(jaren.jaar, 12, 31)
            and coalesce(zorgperioden.einddatum, {{ peildatum() }})
            >= make_date(jaren.jaar, 1, 1)
    left join clienten
        on zorgperioden.client_pseudonym = clienten.client_pseudonym
    where zorgperioden.begindatum <= {{ peildatum() }}
),

per_aanbieder as (
    select
        gemeente_code,
        standard,
        gebied,
        aanbieder_agb,
        jaar,
        count(*) as clienten
    from in_zorg
    group by 1, 2, 3, 4, 5
),

per_gebied as (
    select
        gemeente_code,
        standard,
        gebied,
        jaar,
        count(distinct client_pseudonym) as clienten_in_gebied
    from in_zorg
    group by 1, 2, 3, 4
),

final as (
    select
        per_aanbieder.*,
        per_gebied.clienten_in_gebied,
        cast(per_aanbieder.clienten as double precision)
        / per_gebied.clienten_in_gebied as marktaandeel
    from per_aanbieder
    inner join per_gebied using (gemeente_code, standard, gebied, jaar)
)

select * from final
