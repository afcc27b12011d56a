-- Current 307 stops: a stop refers to its start by the same key (OP155), and the latest
-- delivery wins, so a definitive stop replaces a temporary one (OP377/378).
with stops as (
    {{ message_records(ref('stg_istandaarden__stop_producten')) }}
),

current_stops as (
    {{ current_aanlevering('stops', var('zorgperiode_key')) }}
),

final as (
    select
        {{ surrogate_key(var('zorgperiode_key')) }} as zorgperiode_id,
        standard,
        release_family,
        gemeente_code,
        aanbieder_agb,
        client_pseudonym,
        toewijzing_nummer,
        product_categorie,
        product_code,
        begindatum,
        einddatum,
        reden_beeindiging,
        dagtekening as stop_dagtekening,
        bericht_identificatie as stop_bericht_identificatie
    from current_stops
)

select * from final
