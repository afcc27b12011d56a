-- One row per gemeente, standard, year, inkoop segment and perceel, aanbieder and client: the
-- client was in zorg with the aanbieder in the year (a zorgperiode overlapping it) and/or the
-- aanbieder declared for the client (declaratieregels whose ProductPeriode begins in the year).
-- A product's segment and perceel are the catalogue's for its gemeente and the nearest year the
-- catalogue covers (the year itself where it does), by productcode, else by productcategorie
-- where that names one segment and perceel; care the catalogue does not place is left out.
-- Also the hours declared (time units other than the etmaal of verblijf) and the zorgduur of
-- a zorgperiode with the aanbieder that ended in the year (the longest, where there are more).
-- The step the inkoop markt marts and the outliers count from.
with zorgperioden as (
    select * from {{ ref('zorgperioden') }}
    where begindatum <= {{ peildatum() }} and (einddatum is null or einddatum >= begindatum)
),

declaratieregels as (
    select * from {{ ref('declaratieregels') }}
),

inkoop as (
    select * from {{ ref('inkoop') }}
),

jaren as (
    select distinct cast(extract(year from datum) as integer) as jaar
    from {{ ref('kalender') }}
),

catalogus_jaren as (
    select
        gemeente_code,
        standard,
        min(jaar) as eerste_jaar,
        max(jaar) as laatste_jaar
    from inkoop
    group by 1, 2
),

per_code as (
    select distinct
        gemeente_code,
        jaar,
        standard,
        product_categorie,
        product_code,
        segment,
        perceel
    from inkoop
),

per_categorie as (
    select
        gemeente_code,
        jaar,
        standard,
        product_categorie,
        min(segment) as segment,
        min(perceel) as perceel
    from inkoop
    group by 1, 2, 3, 4
    having
        count(distinct segment) = 1
        and count(distinct coalesce(perceel, '')) = 1
),

in_zorg as (
    select
        zorgperioden.gemeente_code,
        zorgperioden.standard,
        jaren.jaar,
        zorgperioden.product_categorie,
        zorgperioden.product_code,
        zorgperioden.aanbieder_agb,
        zorgperioden.client_pseudonym,
        max(zorgperioden.zorgduur_dagen) filter (
            where extract(year from zorgperioden.einddatum) = jaren.jaar
        ) as zorgduur_dagen
    from zorgperioden
    inner join jaren
        on
            zorgperioden.begindatum <= make_date(jaren.jaar, 12, 31)
            and coalesce(zorgperioden.einddatum, {{ peildatum() }})
            >= make_date(jaren.jaar, 1, 1)
    group by 1, 2, 3, 4, 5, 6, 7
),

gedeclareerd as (
    select
        gemeente_code,
        standard,
        cast(extract(year from begindatum) as integer) as jaar,
        product_categorie,
        product_code,
        aanbieder_agb,
        client_pseudonym,
        count(*) as declaratieregel_count,
        sum(ingediend_eurocent) as ingediend_eurocent,
        sum(case when eenheid <> '14' then minuten end) / 60.0 as uren
    from declaratieregels
    group by 1, 2, 3, 4, 5, 6, 7
),

activiteit as (
    select
        in_zorg.zorgduur_dagen,
        coalesce(in_zorg.gemeente_code, gedeclareerd.gemeente_code) as gemeente_code,
        coalesce(in_zorg.standard, gedeclareerd.standard) as standard,
        coalesce(in_zorg.jaar, gedeclareerd.jaar) as jaar,
        coalesce(in_zorg.product_categorie, gedeclareerd.product_categorie) as product_categorie,
        coalesce(in_zorg.product_code, gedeclareerd.product_code) as product_code,
        coalesce(in_zorg.aanbieder_agb, gedeclareerd.aanbieder_agb) as aanbieder_agb,
        coalesce(in_zorg.client_pseudonym, gedeclareerd.client_pseudonym) as client_pseudonym,
        in_zorg.client_pseudonym is not null as is_in_zorg,
        coalesce(gedeclareerd.declaratieregel_count, 0) as declaratieregel_count,
        coalesce(gedeclareerd.ingediend_eurocent, 0) as ingediend_eurocent,
        coalesce(gedeclareerd.uren, 0) as uren
    from in_zorg
    full outer join gedeclareerd
        on
            in_zorg.gemeente_code = gedeclareerd.gemeente_code
            and in_zorg.standard = gedeclareerd.standard
            and in_zorg.jaar = gedeclareerd.jaar
            and in_zorg.product_categorie = gedeclareerd.product_categorie
            and in_zorg.product_code = gedeclareerd.product_code
            and in_zorg.aanbieder_agb = gedeclareerd.aanbieder_agb
            and in_zorg.client_pseudonym = gedeclareerd.client_pseudonym
),

geplaatst as (
    select
        activiteit.*,
        coalesce(per_code.segment, per_categorie.segment) as segment,
        case
            when per_code.segment is not null then per_code.perceel else per_categorie.perceel
        end as perceel
    from activiteit
    inner join catalogus_jaren
        on
            activiteit.gemeente_code = catalogus_jaren.gemeente_code
            and activiteit.standard = catalogus_jaren.standard
    left join per_code
        on
            activiteit.gemeente_code = per_code.gemeente_code
            and activiteit.standard = per_code.standard
            and activiteit.product_categorie = per_code.product_categorie
            and activiteit.product_code = per_code.product_code
            and per_code.jaar = least(
                greatest(activiteit.jaar, catalogus_jaren.eerste_jaar), catalogus_jaren.laatste_jaar
            )
    left join per_categorie
        on
            activiteit.gemeente_code = per_categorie.gemeente_code
            and activiteit.standard = per_categorie.standard
            and activiteit.product_categorie = per_categorie.product_categorie
            and per_categorie.jaar = least(
                greatest(activiteit.jaar, catalogus_jaren.eerste_jaar), catalogus_jaren.laatste_jaar
            )
),

final as (
    select
        gemeente_code,
        standard,
        jaar,
        segment,
        perceel,
        aanbieder_agb,
        client_pseudonym,
        bool_or(is_in_zorg) as is_in_zorg,
        sum(declaratieregel_count) as declaratieregel_count,
        sum(ingediend_eurocent) as ingediend_eurocent,
        sum(uren) as uren,
        max(zorgduur_dagen) as zorgduur_dagen
    from geplaatst
    where segment is not null
    group by 1, 2, 3, 4, 5, 6, 7
)

select * from final
