-- Current 305 starts: one per logical key (toewijzing, product, begindatum; IV008).
with starts as (
    {{ message_records(ref('stg_istandaarden__start_producten')) }}
),

current_starts as (
    {{ current_aanlevering('starts', var('zorgperiode_key')) }}
),

final as (
    select
        {{ surrogate_key(var('zorgperiode_key')) }} as zorgperiode_id,
        standard,
        release,
        release_family,
        gemeente_code,
        aanbieder_agb,
        client_pseudonym,
        toewijzing_nummer,
        product_categorie,
        product_code,
        toewijzing_ingangsdatum,
        begindatum,
        dagtekening as start_dagtekening,
        bericht_identificatie as start_bericht_identificatie,
        delivery_count as start_delivery_count
    from current_starts
)

select * from final
