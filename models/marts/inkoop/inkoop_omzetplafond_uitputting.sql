-- One row per gemeente, standard, year, aanbieder, omzetplafond (the aanbieder's whole
-- standard, or one inkoop segment) and month up to the peildatum: the plafond, what the
-- aanbieder declared against it up to that month, the uitputting, a linear year-end projection
-- from the year-to-date run rate and the signal, as gemeente_budget_uitputting does for the
-- gemeente's budget lines. Declared amounts count in the month their ProductPeriode begins; a
-- segment takes the productcategorieen the inkoop catalogue places in it that year.
with plafonds as (
    select * from {{ ref('omzetplafonds') }}
),

segmenten as (
    select distinct
        gemeente_code,
        standard,
        jaar,
        product_categorie,
        segment
    from {{ ref('inkoop') }}
),

aanbieders as (
    select * from {{ ref('dim_aanbieder') }}
),

namen as (
    select * from {{ ref('aanbieder_namen') }}
),

declaratieregels as (
    select
        gemeente_code,
        standard,
        aanbieder_agb,
        product_categorie,
        ingediend_eurocent,
        cast(date_trunc('month', begindatum) as date) as maand_start
    from {{ ref('declaratieregels') }}
    where begindatum <= {{ peildatum() }}
),

per_maand as (
    select
        gemeente_code,
        standard,
        aanbieder_agb,
        product_categorie,
        maand_start,
        sum(ingediend_eurocent) as ingediend_eurocent
    from declaratieregels
    group by 1, 2, 3, 4, 5
),

laatste_maand as (
    -- As for the budget lines: the last month the gemeente has declarations for, per standard.
    select
        gemeente_code,
        standard,
        max(maand_start) as laatste_maand_start
    from per_maand
    group by 1, 2
),

gedeclareerd as (
    select
        plafonds.gemeente_code,
        plafonds.standard,
        plafonds.jaar,
        plafonds.aanbieder_agb,
        plafonds.segment,
        per_maand.maand_start,
        sum(per_maand.ingediend_eurocent) as ingediend_eurocent
    from plafonds
    inner join per_maand
        on
            plafonds.gemeente_code = per_maand.gemeente_code
            and plafonds.standard = per_maand.standard
            and plafonds.aanbieder_agb = per_maand.aanbieder_agb
            and plafonds.jaar = cast(extract(year from per_maand.maand_start) as integer)
    left join segmenten
        on
            plafonds.gemeente_code = segmenten.gemeente_code
            and plafonds.standard = segmenten.standard
            and plafonds.jaar = segmenten.jaar
            and per_maand.product_categorie = segmenten.product_categorie
    where plafonds.segment is null or plafonds.segment = segmenten.segment
    group by 1, 2, 3, 4, 5, 6
),

maanden as (
    select distinct
        cast(date_trunc('month', datum) as date) as maand_start,
        cast(extract(year from datum) as integer) as jaar,
        cast(extract(month from datum) as integer) as maand_nummer
    from {{ ref('kalender') }}
    where datum <= {{ peildatum() }}
),

raster as (
    select
        plafonds.gemeente_code,
        plafonds.standard,
        plafonds.jaar,
        plafonds.aanbieder_agb,
        plafonds.segment,
        plafonds.plafond_niveau,
        plafonds.plafond_eur,
        maanden.maand_start,
        coalesce(gedeclareerd.ingediend_eurocent, 0) as ingediend_eurocent,
        case
            when laatste_maand.laatste_maand_start is null then 0
            when laatste_maand.laatste_maand_start < make_date(plafonds.jaar, 1, 1) then 0
            else least(
                maanden.maand_nummer,
                case
                    when laatste_maand.laatste_maand_start >= make_date(plafonds.jaar + 1, 1, 1)
                        then 12
                    else cast(extract(month from laatste_maand.laatste_maand_start) as integer)
                end
            )
        end as maanden_gedeclareerd
    from plafonds
    inner join maanden on plafonds.jaar = maanden.jaar
    left join gedeclareerd
        on
            plafonds.gemeente_code = gedeclareerd.gemeente_code
            and plafonds.standard = gedeclareerd.standard
            and plafonds.jaar = gedeclareerd.jaar
            and plafonds.aanbieder_agb = gedeclareerd.aanbieder_agb
            and coalesce(plafonds.segment, '') = coalesce(gedeclareerd.segment, '')
            and maanden.maand_start = gedeclareerd.maand_start
    left join laatste_maand
        on
            plafonds.gemeente_code = laatste_maand.gemeente_code
            and plafonds.standard = laatste_maand.standard
),

cumulatief as (
    select
        *,
        sum(ingediend_eurocent) over (
            partition by gemeente_code, standard, jaar, aanbieder_agb, coalesce(segment, '')
            order by maand_start
            rows between unbounded preceding and current row
        ) as cumulatief_eurocent
    from raster
),

final as (
    select
        cumulatief.gemeente_code,
        cumulatief.standard,
        cumulatief.jaar,
        cumulatief.aanbieder_agb,
        cumulatief.segment,
        cumulatief.plafond_niveau,
        cumulatief.maand_start,
        cumulatief.plafond_eur,
        cumulatief.maanden_gedeclareerd,
        coalesce(aanbieders.aanbieder_naam, namen.aanbieder_naam, cumulatief.aanbieder_agb)
            as aanbieder_naam,
        cast(cumulatief.ingediend_eurocent / 100.0 as decimal(18, 2)) as gedeclareerd_maand_eur,
        cast(cumulatief.cumulatief_eurocent / 100.0 as decimal(18, 2))
            as gedeclareerd_cumulatief_eur,
        cast(
            100.0 * cumulatief.cumulatief_eurocent / 100.0 / nullif(cumulatief.plafond_eur, 0)
            as double precision
        ) as uitputting_percentage,
        -- 12 * cumulatief / maanden cents, rounded half up alike on DuckDB and PostgreSQL
        cast(
            floor(
                (24.0 * cumulatief.cumulatief_eurocent + cumulatief.maanden_gedeclareerd)
                / nullif(2 * cumulatief.maanden_gedeclareerd, 0)
            )
            / 100 as decimal(18, 2)
        ) as prognose_jaareinde_eur,
        cast(
            100.0 * cumulatief.cumulatief_eurocent / 100.0
            / nullif(cumulatief.maanden_gedeclareerd, 0) * 12
            / nullif(cumulatief.plafond_eur, 0) as double precision
        ) as prognose_percentage,
        coalesce(
            100.0 * cumulatief.cumulatief_eurocent / 100.0
            / nullif(cumulatief.maanden_gedeclareerd, 0) * 12
            >= {{ var('budget_signaal_percentage') }} * cumulatief.plafond_eur,
            false
        ) as is_signaal
    from cumulatief
    left join aanbieders on cumulatief.aanbieder_agb = aanbieders.aanbieder_agb
    left join namen on cumulatief.aanbieder_agb = namen.aanbieder_agb
)

select * from final
