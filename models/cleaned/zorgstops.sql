-- Current 307 stops: a stop refers to its start by the same key (OP155), and the latest
-- delivery wins, so a definitive stop replaces a temporary one (OP377/378).
with stops as (
    {{ message_records(ref('stg_istandaarden__stop_producten')) }}
),

current_stops as (
    {{ current_aanlevering('stops', var('zorgperiode_key')) }}
),

keyed as (
    select
        {{ surrogate_key(var('zorgperiode_key')) }} as zorgperiode_id,
        *
    from current_stops
),

starts as (
    select * from {{ ref('zorgstarts') }}
),

-- Starts by toewijzing number, product and begindatum, whichever client: a start sent under an
-- invalid BSN is still the start this stop refers to (the BSN is the invalid_bsn finding).
gemelde_starts as (
    select distinct
        standard,
        gemeente_code,
        aanbieder_agb,
        toewijzing_sleutel,
        product_code,
        begindatum
    from starts
),

final as (
    select
        keyed.zorgperiode_id,
        keyed.standard,
        keyed.release_family,
        keyed.gemeente_code,
        keyed.aanbieder_agb,
        keyed.client_pseudonym,
        keyed.toewijzing_nummer,
        keyed.product_categorie,
        keyed.product_code,
        keyed.begindatum,
        keyed.einddatum,
        keyed.reden_beeindiging,
        keyed.dagtekening as stop_dagtekening,
        keyed.bericht_identificatie as stop_bericht_identificatie,
        keyed.is_bsn_valid,
        -- Without a start of the same key the stop cannot be placed in a zorgperiode. A stop
        -- under an invalid BSN cannot be linked at all: that is the invalid_bsn finding.
        starts.zorgperiode_id is not null as heeft_start,
        gemelde_starts.begindatum is null and keyed.is_bsn_valid as is_zonder_start
    from keyed
    left join starts
        on keyed.zorgperiode_id = starts.zorgperiode_id
    left join gemelde_starts
        on
            keyed.standard = gemelde_starts.standard
            and keyed.gemeente_code = gemelde_starts.gemeente_code
            and keyed.aanbieder_agb = gemelde_starts.aanbieder_agb
            and {{ toewijzing_sleutel('keyed', 'toewijzing_ingangsdatum') }}
            = gemelde_starts.toewijzing_sleutel
            and keyed.product_code is not distinct from gemelde_starts.product_code
            and keyed.begindatum = gemelde_starts.begindatum
)

select * from final
