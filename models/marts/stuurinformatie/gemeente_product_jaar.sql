-- One row per gemeente, standard, product and year: which products were taken, by how many
-- clients, in what allocated volume (per eenheid and frequentie, which cannot be added across),
-- and how long clients waited for them. Toewijzingen count in the year of their Ingangsdatum.
with toewijzingen as (
    select * from {{ ref('toewijzing_opvolging') }}
),

final as (
    select
        gemeente_code,
        standard,
        product_categorie,
        product_code,
        eenheid,
        frequentie,
        cast(extract(year from ingangsdatum) as integer) as jaar,
        count(*) as toewijzingen,
        count(distinct client_pseudonym) as clienten,
        cast(sum(volume) as bigint) as toegewezen_volume,
        count(*) filter (where zorgperiode_count > 0) as toewijzingen_gestart,
        {{ percentile('wachttijd_dagen', 0.5) }} as wachttijd_mediaan,
        {{ percentile('wachttijd_dagen', 0.8) }} as wachttijd_p80
    from toewijzingen
    group by 1, 2, 3, 4, 5, 6, 7
)

select * from final
