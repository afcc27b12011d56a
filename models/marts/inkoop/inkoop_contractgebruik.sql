-- One row per gemeente, standard, year, aanbieder and product that the inkoop catalogue
-- contracts, the gemeente allocated (toewijzingen whose Ingangsdatum falls in the year) or the
-- aanbieder declared (declaratieregels whose ProductPeriode begins in it), in the years the
-- gemeente's catalogue covers: what was used of each contract, the contracts never used, and
-- care allocated or declared without a contract for that product and year.
with inkoop as (
    select * from {{ ref('inkoop') }}
),

toewijzingen as (
    select * from {{ ref('toewijzingen') }}
),

declaratieregels as (
    select
        *,
        cast(extract(year from begindatum) as integer) as jaar
    from {{ ref('declaratieregels') }}
),

aanbieders as (
    select * from {{ ref('dim_aanbieder') }}
),

aanbieder_namen as (
    select * from {{ ref('aanbieder_namen') }}
),

product_namen as (
    select * from {{ ref('product_namen') }}
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

contracten as (
    select
        gemeente_code,
        standard,
        jaar,
        aanbieder_agb,
        product_categorie,
        product_code,
        min(segment) as segment,
        min(perceel) as perceel,
        min(eenheid) as eenheid,
        min(tarief_eurocent) as tarief_eurocent
    from inkoop
    group by 1, 2, 3, 4, 5, 6
),

toegewezen as (
    select
        gemeente_code,
        standard,
        cast(extract(year from ingangsdatum) as integer) as jaar,
        aanbieder_agb,
        product_categorie,
        product_code,
        count(*) as toewijzingen,
        count(distinct client_pseudonym) as clienten_toegewezen
    from toewijzingen
    group by 1, 2, 3, 4, 5, 6
),

gedeclareerd as (
    select
        gemeente_code,
        standard,
        jaar,
        aanbieder_agb,
        product_categorie,
        product_code,
        cast(sum(geleverd_volume) as bigint) as gedeclareerd_volume,
        count(*) as declaratieregels,
        sum(ingediend_eurocent) as ingediend_eurocent
    from declaratieregels
    group by 1, 2, 3, 4, 5, 6
),

regels as (
    select
        gemeente_code,
        standard,
        jaar,
        aanbieder_agb,
        product_categorie,
        product_code
    from contracten
    union
    select
        gemeente_code,
        standard,
        jaar,
        aanbieder_agb,
        product_categorie,
        product_code
    from toegewezen
    union
    select
        gemeente_code,
        standard,
        jaar,
        aanbieder_agb,
        product_categorie,
        product_code
    from gedeclareerd
),

in_catalogusjaren as (
    select regels.*
    from regels
    inner join catalogus_jaren
        on
            regels.gemeente_code = catalogus_jaren.gemeente_code
            and regels.standard = catalogus_jaren.standard
            and regels.jaar between catalogus_jaren.eerste_jaar and catalogus_jaren.laatste_jaar
),

final as (
    select
        regels.gemeente_code,
        regels.standard,
        regels.jaar,
        regels.aanbieder_agb,
        regels.product_categorie,
        regels.product_code,
        contracten.segment,
        contracten.perceel,
        contracten.eenheid,
        cast(contracten.tarief_eurocent / 100.0 as decimal(18, 2)) as tarief_eur,
        cast(coalesce(gedeclareerd.ingediend_eurocent, 0) / 100.0 as decimal(18, 2))
            as gedeclareerd_eur,
        cast(
            gedeclareerd.gedeclareerd_volume * contracten.tarief_eurocent / 100.0 as decimal(18, 2)
        )
            as gedeclareerd_tegen_tarief_eur,
        cast(
            (
                gedeclareerd.ingediend_eurocent
                - gedeclareerd.gedeclareerd_volume * contracten.tarief_eurocent
            )
            / 100.0 as decimal(18, 2)
        ) as verschil_met_tarief_eur,
        contracten.aanbieder_agb is not null as is_gecontracteerd,
        coalesce(toegewezen.toewijzingen, 0) as toewijzingen,
        coalesce(toegewezen.clienten_toegewezen, 0) as clienten_toegewezen,
        coalesce(gedeclareerd.declaratieregels, 0) as declaratieregels,
        coalesce(gedeclareerd.gedeclareerd_volume, 0) as gedeclareerd_volume,
        contracten.aanbieder_agb is not null
        and toegewezen.aanbieder_agb is null
        and gedeclareerd.aanbieder_agb is null as is_ongebruikt,
        contracten.aanbieder_agb is null as is_zonder_contract,
        coalesce(aanbieders.aanbieder_naam, aanbieder_namen.aanbieder_naam, regels.aanbieder_agb)
            as aanbieder_naam,
        coalesce(
            product_namen.product_naam, regels.product_code, regels.product_categorie, 'generiek'
        ) as product_naam
    from in_catalogusjaren as regels
    left join contracten
        on
            regels.gemeente_code = contracten.gemeente_code
            and regels.standard = contracten.standard
            and regels.jaar = contracten.jaar
            and regels.aanbieder_agb = contracten.aanbieder_agb
            and regels.product_categorie = contracten.product_categorie
            and regels.product_code = contracten.product_code
    left join toegewezen
        on
            regels.gemeente_code = toegewezen.gemeente_code
            and regels.standard = toegewezen.standard
            and regels.jaar = toegewezen.jaar
            and regels.aanbieder_agb = toegewezen.aanbieder_agb
            and regels.product_categorie is not distinct from toegewezen.product_categorie
            and regels.product_code is not distinct from toegewezen.product_code
    left join gedeclareerd
        on
            regels.gemeente_code = gedeclareerd.gemeente_code
            and regels.standard = gedeclareerd.standard
            and regels.jaar = gedeclareerd.jaar
            and regels.aanbieder_agb = gedeclareerd.aanbieder_agb
            and regels.product_categorie is not distinct from gedeclareerd.product_categorie
            and regels.product_code is not distinct from gedeclareerd.product_code
    left join aanbieders on regels.aanbieder_agb = aanbieders.aanbieder_agb
    left join aanbieder_namen on regels.aanbieder_agb = aanbieder_namen.aanbieder_agb
    left join product_namen
        on
            regels.standard = product_namen.standard
            and regels.product_categorie = product_namen.product_categorie
            and regels.product_code = product_namen.product_code
)

select * from final
