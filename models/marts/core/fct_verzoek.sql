-- One row per verzoek om toewijzing (315 product, 317 verzoek om wijziging) the gemeente
-- received, with its answer: a 301 granting it or the latest 319.
with verzoeken as (
    select * from {{ ref('verzoeken') }}
),

final as (
    select
        verzoek_id,
        standard,
        gemeente_code,
        aanbieder_agb,
        client_pseudonym,
        message_type,
        referentie_aanbieder,
        case
            when product_categorie is not null
                then {{ surrogate_key(['standard', 'product_categorie', 'product_code']) }}
        end as product_id,
        product_categorie,
        product_code,
        gewenste_ingangsdatum,
        reden_verzoek,
        dagtekening as verzoek_datum,
        antwoord_dagtekening,
        verzoek_antwoord,
        reden_afwijzing_verzoek,
        toewijzingsdatum,
        toewijzing_count,
        uitkomst,
        cast(coalesce(toewijzingsdatum, antwoord_dagtekening) - dagtekening as bigint)
            as doorlooptijd_dagen
    from verzoeken
)

select * from final
