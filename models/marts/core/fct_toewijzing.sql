-- The current version of every toegewezen product; fct_toewijzing_versie has its history.
with toewijzingen as (
    select * from {{ ref('toewijzingen') }}
),

final as (
    select
        toewijzing_id,
        toewijzing_versie_id,
        standard,
        gemeente_code,
        aanbieder_agb,
        client_pseudonym,
        toewijzing_nummer,
        {{ surrogate_key(['standard', 'product_categorie', 'product_code']) }} as product_id,
        product_categorie,
        product_code,
        toewijzingsdatum,
        ingangsdatum,
        einddatum,
        reden_wijziging,
        volume,
        eenheid,
        frequentie,
        budget_eurocent
    from toewijzingen
)

select * from final
