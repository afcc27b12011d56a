-- The current version of every toegewezen product: a toewijzing keeps its number through every
-- change, and the most recent Toewijzingsdatum + Toewijzingstijd is leading (OP033x1).
with toegewezen as (
    {{ message_records(ref('stg_istandaarden__toegewezen_producten')) }}
),

versioned as (
    select
        *,
        row_number() over (
            partition by standard, gemeente_code, toewijzing_nummer
            order by
                toewijzingsdatum desc,
                toewijzingstijd desc,
                dagtekening desc,
                file_id desc,
                product_seq desc
        ) as version_rank
    from toegewezen
),

final as (
    select
        {{ surrogate_key(['standard', 'gemeente_code', 'toewijzing_nummer']) }}
            as toewijzing_id,
        standard,
        release,
        gemeente_code,
        aanbieder_agb,
        client_pseudonym,
        toewijzing_nummer,
        product_categorie,
        product_code,
        toewijzingsdatum,
        toewijzingstijd,
        ingangsdatum,
        einddatum,
        reden_wijziging,
        volume,
        eenheid,
        frequentie,
        budget_eurocent,
        bericht_identificatie
    from versioned
    where version_rank = 1
)

select * from final
