-- Every version a toegewezen product has had, newest marked current: how it was changed.
with versies as (
    select * from {{ ref('toewijzing_versies') }}
),

final as (
    select
        toewijzing_versie_id,
        toewijzing_id,
        standard,
        gemeente_code,
        aanbieder_agb,
        client_pseudonym,
        toewijzing_nummer,
        {{ surrogate_key(['standard', 'product_categorie', 'product_code']) }} as product_id,
        toewijzingsdatum,
        toewijzingstijd,
        ingangsdatum,
        einddatum,
        reden_wijziging,
        volume,
        eenheid,
        frequentie,
        budget_eurocent,
        is_current
    from versies
)

select * from final
