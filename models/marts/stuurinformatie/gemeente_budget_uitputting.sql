-- One row per gemeente, standard, year, budget line (the inkoop segment or the productcategorie
-- the gemeente budgets on) and month up to the peildatum: the plafond, what was declared against
-- it up to that month, and a linear year-end projection from the year-to-date run rate.
-- Declared amounts count in the month their ProductPeriode begins; a segment budget takes the
-- productcategorieen the inkoop catalogue places in it.
-- The plafonds and the catalogue are the lines that count (cleaned/budget): a corrected file
-- replaces what it covers.
with budgetregels as (
    select
        gemeente_code,
        standard,
        jaar,
        segment,
        product_categorie,
        plafond_eur,
        budget_niveau,
        budget_key
    from {{ ref('plafonds') }}
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

declaratieregels as (
    select
        gemeente_code,
        standard,
        product_categorie,
        cast(date_trunc('month', begindatum) as date) as maand_start,
        ingediend_eurocent
    from {{ ref('declaratieregels') }}
    where begindatum <= {{ peildatum() }}
),

per_maand as (
    select
        gemeente_code,
        standard,
        product_categorie,
        maand_start,
        sum(ingediend_eurocent) as ingediend_eurocent
    from declaratieregels
    group by 1, 2, 3, 4
),

laatste_maand as (
    -- The last month the gemeente has declarations for, per standard: the run rate counts the
    -- months up to it, so months aanbieders have not declared yet do not dilute it.
    select
        gemeente_code,
        standard,
        max(maand_start) as laatste_maand_start
    from per_maand
    group by 1, 2
),

gedeclareerd as (
    select
        budgetregels.gemeente_code,
        budgetregels.standard,
        budgetregels.jaar,
        budgetregels.budget_key,
        per_maand.maand_start,
        sum(per_maand.ingediend_eurocent) as ingediend_eurocent
    from budgetregels
    left join segmenten
        on
            budgetregels.product_categorie is null
            and budgetregels.gemeente_code = segmenten.gemeente_code
            and budgetregels.standard = segmenten.standard
            and budgetregels.jaar = segmenten.jaar
            and budgetregels.segment = segmenten.segment
    inner join per_maand
        on
            budgetregels.gemeente_code = per_maand.gemeente_code
            and budgetregels.standard = per_maand.standard
            and budgetregels.jaar = cast(extract(year from per_maand.maand_start) as integer)
            and coalesce(budgetregels.product_categorie, segmenten.product_categorie)
            = per_maand.product_categorie
    group by 1, 2, 3, 4, 5
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
        budgetregels.*,
        maanden.maand_start,
        maanden.maand_nummer,
        coalesce(gedeclareerd.ingediend_eurocent, 0) as ingediend_eurocent,
        case
            when laatste_maand.laatste_maand_start is null then 0
            when laatste_maand.laatste_maand_start < make_date(budgetregels.jaar, 1, 1) then 0
            else least(
                maanden.maand_nummer,
                case
                    when laatste_maand.laatste_maand_start >= make_date(budgetregels.jaar + 1, 1, 1)
                        then 12
                    else cast(extract(month from laatste_maand.laatste_maand_start) as integer)
                end
            )
        end as maanden_gedeclareerd
    from budgetregels
    inner join maanden on budgetregels.jaar = maanden.jaar
    left join gedeclareerd
        on
            budgetregels.gemeente_code = gedeclareerd.gemeente_code
            and budgetregels.standard = gedeclareerd.standard
            and budgetregels.jaar = gedeclareerd.jaar
            and budgetregels.budget_key = gedeclareerd.budget_key
            and maanden.maand_start = gedeclareerd.maand_start
    left join laatste_maand
        on
            budgetregels.gemeente_code = laatste_maand.gemeente_code
            and budgetregels.standard = laatste_maand.standard
),

cumulatief as (
    select
        *,
        sum(ingediend_eurocent) over (
            partition by gemeente_code, standard, jaar, budget_key
            order by maand_start
            rows between unbounded preceding and current row
        ) as cumulatief_eurocent
    from raster
),

final as (
    select
        gemeente_code,
        standard,
        jaar,
        budget_niveau,
        budget_key,
        segment,
        product_categorie,
        maand_start,
        plafond_eur,
        cast(ingediend_eurocent / 100.0 as decimal(18, 2)) as gedeclareerd_maand_eur,
        cast(cumulatief_eurocent / 100.0 as decimal(18, 2)) as gedeclareerd_cumulatief_eur,
        cast(100.0 * cumulatief_eurocent / 100.0 / nullif(plafond_eur, 0) as double precision)
            as uitputting_percentage,
        maanden_gedeclareerd,
        -- 12 * cumulatief / maanden cents, rounded half up alike on DuckDB and PostgreSQL
        cast(
            floor(
                (24.0 * cumulatief_eurocent + maanden_gedeclareerd)
                / nullif(2 * maanden_gedeclareerd, 0)
            )
            / 100 as decimal(18, 2)
        ) as prognose_jaareinde_eur,
        cast(
            100.0 * cumulatief_eurocent / 100.0 / nullif(maanden_gedeclareerd, 0) * 12
            / nullif(plafond_eur, 0) as double precision
        ) as prognose_percentage,
        coalesce(
            100.0 * cumulatief_eurocent / 100.0 / nullif(maanden_gedeclareerd, 0) * 12
            >= {{ var('budget_signaal_percentage') }} * plafond_eur,
            false
        ) as is_signaal
    from cumulatief
)

select * from final
