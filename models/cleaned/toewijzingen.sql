-- The current version of every toegewezen product. A toewijzing whose current version says
-- RedenWijziging 13 ("verwijderd": Einddatum = Ingangsdatum) counts as never sent.
with versies as (
    select * from {{ ref('toewijzing_versies') }}
),

final as (
    select
        toewijzing_id,
        toewijzing_versie_id,
        standard,
        release,
        release_family,
        gemeente_code,
        aanbieder_agb,
        client_pseudonym,
        toewijzing_nummer,
        toewijzing_sleutel,
        referentie_aanbieder,
        product_categorie,
        product_code,
        toewijzingsdatum,
        toewijzingstijd,
        ingangsdatum,
        einddatum,
        reden_wijziging,
        volume,
        eenheid,
        frequentie,
        budget_eurocent,
        bericht_identificatie,
        dagtekening
    from versies
    where is_current and coalesce(reden_wijziging, '') <> '13'
)

select * from final
