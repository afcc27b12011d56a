-- One row per zorgperiode, as BI tools read it: a projection of cleaned.zorgperioden. That
-- table is incremental (it recomputes the toewijzing numbers new files touch); this one is
-- rebuilt whole from it, which costs a scan and keeps one copy of the partition rules.
with zorgperioden as (
    select * from {{ ref('zorgperioden') }}
),

reden_beeindiging as (
    select * from {{ ref('reden_beeindiging') }}
),

final as (
    select
        zorgperioden.zorgperiode_id,
        zorgperioden.standard,
        zorgperioden.gemeente_code,
        zorgperioden.aanbieder_agb,
        zorgperioden.client_pseudonym,
        zorgperioden.toewijzing_nummer,
        {{ surrogate_key([
            'zorgperioden.standard', 'zorgperioden.product_categorie', 'zorgperioden.product_code'
        ]) }} as product_id,
        zorgperioden.product_categorie,
        zorgperioden.product_code,
        zorgperioden.begindatum,
        zorgperioden.einddatum,
        zorgperioden.reden_beeindiging,
        reden_beeindiging.omschrijving as reden_beeindiging_omschrijving,
        zorgperioden.afloop,
        zorgperioden.wachttijd_dagen,
        zorgperioden.zorgduur_dagen,
        zorgperioden.is_stop_voor_start,
        zorgperioden.toewijzing_id is not null as heeft_toewijzing
    from zorgperioden
    left join reden_beeindiging
        on
            zorgperioden.standard = reden_beeindiging.standard
            and zorgperioden.release_family = reden_beeindiging.release_family
            and zorgperioden.reden_beeindiging = reden_beeindiging.code
)

select * from final
