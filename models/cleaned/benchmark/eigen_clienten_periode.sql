-- One row per gemeente, standard, form of care and period (each year and half-year, the
-- periods CBS publishes) in which the gemeente had clients in zorg in that form: the
-- gemeente's own count, made comparable with CBS. A client counts once per form and in every
-- form above it (JH_MV also counts in JH and JZ); a product no crosswalk maps counts in the
-- standard's total only (JH for Jeugd, WMO for Wmo). Jeugd counts youth under 18, as CBS does,
-- on the first day of the period as far as the birth year tells (the month is not kept): born
-- at most 18 years before the period's year, or of unknown age. Messages of a gemeente that
-- merged later count for the gemeente it lives on in, as CBS's figures do in the benchmark.
with recursive zorgperioden as (
    select * from {{ ref('zorgperioden') }}
    -- a stop before its start is a quality finding, not care (as in client_maanden)
    where
        (einddatum is null or einddatum >= begindatum)
        and begindatum <= {{ peildatum() }}
),

clienten as (
    select * from {{ ref('clienten') }}
),

product_vormen as (
    select * from {{ ref('product_hulpvorm') }}
),

herindelingen as (
    select * from {{ ref('herindelingen') }}
),

vormen as (
    select * from {{ ref('cbs_vormen') }}
),

jaren as (
    select distinct cast(extract(year from datum) as integer) as jaar
    from {{ ref('kalender') }}
),

helften as (
    select 1 as helft
    union all
    select 2 as helft
),

-- Every form with itself and each form above it.
vorm_boven as (
    select
        standard,
        vorm_code,
        vorm_code as telt_in_vorm
    from vormen
    union all
    select
        vorm_boven.standard,
        vorm_boven.vorm_code,
        vormen.bovenliggende_vorm as telt_in_vorm
    from vorm_boven
    inner join vormen
        on
            vorm_boven.standard = vormen.standard
            and vorm_boven.telt_in_vorm = vormen.vorm_code
    where vormen.bovenliggende_vorm is not null
),

perioden as (
    select
        'jaar' as periode_type,
        make_date(jaar, 1, 1) as periode_start,
        make_date(jaar, 12, 31) as periode_eind
    from jaren
    union all
    select
        'halfjaar' as periode_type,
        make_date(jaren.jaar, helften.helft * 6 - 5, 1) as periode_start,
        cast(
            make_date(jaren.jaar, helften.helft * 6 - 5, 1)
            + interval '6 months' - interval '1 day' as date
        ) as periode_eind
    from jaren
    cross join helften
),

zorg as (
    select
        zorgperioden.standard,
        zorgperioden.client_pseudonym,
        zorgperioden.begindatum,
        coalesce(zorgperioden.einddatum, {{ peildatum() }}) as einddatum,
        clienten.geboortejaar,
        coalesce(herindelingen.opvolger_code, zorgperioden.gemeente_code) as gemeente_code,
        coalesce(
            product_vormen.vorm_code,
            case zorgperioden.standard when 'ijw' then 'JH' else 'WMO' end
        ) as vorm_code
    from zorgperioden
    left join clienten on zorgperioden.client_pseudonym = clienten.client_pseudonym
    left join product_vormen
        on
            zorgperioden.gemeente_code = product_vormen.gemeente_code
            and zorgperioden.standard = product_vormen.standard
            and zorgperioden.product_categorie = product_vormen.product_categorie
            and zorgperioden.product_code is not distinct from product_vormen.product_code
    left join herindelingen on zorgperioden.gemeente_code = herindelingen.gemeente_code
),

final as (
    select
        zorg.gemeente_code,
        zorg.standard,
        vorm_boven.telt_in_vorm as vorm_code,
        perioden.periode_type,
        perioden.periode_start,
        perioden.periode_eind,
        perioden.periode_eind <= {{ peildatum() }} as is_periode_volledig,
        count(distinct zorg.client_pseudonym) as clienten
    from zorg
    inner join vorm_boven
        on zorg.standard = vorm_boven.standard and zorg.vorm_code = vorm_boven.vorm_code
    inner join perioden
        on zorg.begindatum <= perioden.periode_eind and zorg.einddatum >= perioden.periode_start
    where
        zorg.standard = 'iwmo'
        or zorg.geboortejaar is null
        or extract(year from perioden.periode_start) - zorg.geboortejaar <= 18
    group by
        zorg.gemeente_code,
        zorg.standard,
        vorm_boven.telt_in_vorm,
        perioden.periode_type,
        perioden.periode_start,
        perioden.periode_eind
)

select * from final
