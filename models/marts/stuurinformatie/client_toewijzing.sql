-- One row per current toewijzing: what one client was allocated and what came of it, the
-- pseudonymous client level of the monitor. The first zorgperiode under the toewijzing gives
-- the wachttijd; all of them give the care received.
with opvolging as (
    select * from {{ ref('toewijzing_opvolging') }}
),

final as (
    select
        toewijzing_id,
        standard,
        gemeente_code,
        aanbieder_agb,
        client_pseudonym,
        toewijzing_nummer,
        product_categorie,
        product_code,
        ingangsdatum,
        einddatum,
        volume,
        eenheid,
        frequentie,
        eerste_begindatum,
        wachttijd_dagen,
        zorgperiode_count,
        laatste_einddatum,
        is_beeindigd,
        zorgduur_dagen
    from opvolging
)

select * from final
