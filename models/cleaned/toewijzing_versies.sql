-- Every version of every toegewezen product, once. A 301 repeats all of a client's toewijzingen
-- that are still valid (OP087), so the same version arrives many times; a version is a
-- distinct Toewijzingsdatum + Toewijzingstijd, and the most recent one is current (OP033x1).
-- iWmo 2.x has no ToewijzingNummer: there a toegewezen product is known by its
-- Beschikkingnummer, product, Ingangsdatum and aanbieder instead.
with toegewezen as (
    {{ message_records(ref('stg_istandaarden__toegewezen_producten')) }}
),

keyed as (
    select
        *,
        {{ toewijzing_sleutel() }} as toewijzing_sleutel
    from toegewezen
),

deduplicated as (
    select
        *,
        row_number() over (
            partition by
                standard, gemeente_code, toewijzing_sleutel, toewijzingsdatum, toewijzingstijd
            order by dagtekening asc, file_id asc, product_seq asc
        ) as delivery_seq
    from keyed
),

versions as (
    select
        *,
        row_number() over (
            partition by standard, gemeente_code, toewijzing_sleutel
            order by toewijzingsdatum desc, toewijzingstijd desc
        ) as recency
    from deduplicated
    where delivery_seq = 1
),

final as (
    select
        {{ surrogate_key(['standard', 'gemeente_code', 'toewijzing_sleutel']) }}
            as toewijzing_id,
        {{ surrogate_key([
            'standard', 'gemeente_code', 'toewijzing_sleutel', 'toewijzingsdatum',
            'toewijzingstijd'
        ]) }} as toewijzing_versie_id,
        standard,
        release,
        release_family,
        gemeente_code,
        aanbieder_agb,
        client_pseudonym,
        toewijzing_nummer,
        toewijzing_sleutel,
        referentie_aanbieder,
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
        bericht_identificatie,
        dagtekening,
        recency = 1 as is_current
    from versions
)

select * from final
