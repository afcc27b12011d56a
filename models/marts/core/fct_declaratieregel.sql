-- One row per declaratieregel that stands after netting: a 323 debit line no credit line has
-- cancelled (cleaned `declaratieregels` nets them), linked to its toewijzing. A projection of
-- cleaned.declaratieregels, which is incremental (it recomputes the clients new files touch);
-- this one is rebuilt whole from it, which costs a scan and keeps one copy of the partition
-- rules.
with declaratieregels as (
    select * from {{ ref('declaratieregels') }}
),

final as (
    select
        declaratieregel_id,
        standard,
        gemeente_code,
        aanbieder_agb,
        client_pseudonym,
        declaratie_nummer,
        referentie_nummer,
        bericht_identificatie,
        dagtekening,
        toewijzing_id,
        toewijzing_nummer,
        {{ surrogate_key(['standard', 'product_categorie', 'product_code']) }} as product_id,
        product_categorie,
        product_code,
        begindatum,
        einddatum,
        geleverd_volume,
        eenheid,
        product_tarief_eurocent,
        ingediend_eurocent,
        cast(ingediend_eurocent / 100.0 as decimal(18, 2)) as ingediend_bedrag,
        toewijzing_id is not null as heeft_toewijzing
    from declaratieregels
)

select * from final
