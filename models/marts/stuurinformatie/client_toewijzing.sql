-- One row per current toewijzing: what one client was allocated and what came of it, the
-- pseudonymous client level of the monitor. The first zorgperiode under the toewijzing gives
-- the wachttijd; all of them give the care received.
with toewijzingen as (
    select * from {{ ref('toewijzingen') }}
),

zorgperioden as (
    select * from {{ ref('zorgperioden') }}
),

per_toewijzing as (
    select
        toewijzing_id,
        cast(sum(zorgduur_dagen) as bigint) as zorgduur_dagen,
        count(*) as zorgperiode_count,
        min(begindatum) as eerste_begindatum,
        max(einddatum) as laatste_einddatum,
        bool_and(einddatum is not null) as is_beeindigd
    from zorgperioden
    where toewijzing_id is not null
    group by toewijzing_id
),

final as (
    select
        toewijzingen.toewijzing_id,
        toewijzingen.standard,
        toewijzingen.gemeente_code,
        toewijzingen.aanbieder_agb,
        toewijzingen.client_pseudonym,
        toewijzingen.toewijzing_nummer,
        toewijzingen.product_categorie,
        toewijzingen.product_code,
        toewijzingen.ingangsdatum,
        toewijzingen.einddatum,
        toewijzingen.volume,
        toewijzingen.eenheid,
        toewijzingen.frequentie,
        per_toewijzing.eerste_begindatum,
        per_toewijzing.laatste_einddatum,
        per_toewijzing.zorgduur_dagen,
        per_toewijzing.eerste_begindatum - toewijzingen.ingangsdatum as wachttijd_dagen,
        coalesce(per_toewijzing.zorgperiode_count, 0) as zorgperiode_count,
        coalesce(per_toewijzing.is_beeindigd, false) as is_beeindigd
    from toewijzingen
    left join per_toewijzing
        on toewijzingen.toewijzing_id = per_toewijzing.toewijzing_id
)

select * from final
