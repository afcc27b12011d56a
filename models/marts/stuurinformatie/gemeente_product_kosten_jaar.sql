-- One row per gemeente, standard, product, eenheid and year: what was declared for the product
-- (omzet), for how many clients and at what cost per client and per eenheid. A declaratieregel
-- counts in the year its ProductPeriode begins.
with declaratieregels as (
    select
        gemeente_code,
        standard,
        product_categorie,
        product_code,
        eenheid,
        client_pseudonym,
        geleverd_volume,
        ingediend_eurocent,
        cast(extract(year from begindatum) as integer) as jaar
    from {{ ref('declaratieregels') }}
),

final as (
    -- The group keys first, in the order of the key, then the measures.
    select  -- noqa: ST06
        gemeente_code,
        standard,
        product_categorie,
        product_code,
        eenheid,
        jaar,
        count(*) as declaratieregels,
        count(distinct client_pseudonym) as clienten_gedeclareerd,
        cast(sum(geleverd_volume) as bigint) as gedeclareerd_volume,
        cast(sum(ingediend_eurocent) / 100.0 as decimal(18, 2)) as gedeclareerd_eur,
        cast(
            sum(ingediend_eurocent) / 100.0 / count(distinct client_pseudonym)
            as decimal(18, 2)
        ) as kosten_per_client_eur,
        cast(
            sum(ingediend_eurocent) / 100.0 / nullif(sum(geleverd_volume), 0)
            as decimal(18, 2)
        ) as eur_per_eenheid
    from declaratieregels
    group by 1, 2, 3, 4, 5, 6
)

select * from final
