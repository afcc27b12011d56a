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
    select zorgperiode_id from {{ ref('zorgstarts') }}
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
        -- Without a start of the same key the stop cannot be placed in a zorgperiode.
        starts.zorgperiode_id is not null as heeft_start
    from keyed
    left join starts
        on keyed.zorgperiode_id = starts.zorgperiode_id
)

select * from final
