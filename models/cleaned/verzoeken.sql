-- One row per verzoek om toewijzing: an AangevraagdProduct of a 315, or the Verzoek of a 317,
-- known by its ReferentieAanbieder (unique per aanbieder, TR339), with how the gemeente
-- answered it. A verzoek its retour (316/318) rejected was never received, so it is left out;
-- the same reference sent again counts once, from its first accepted delivery. The gemeente
-- grants with a 301 that repeats the reference, or answers with a 319 (afgewezen, in
-- onderzoek); the latest 319 counts.
with aangevraagd as (
    {{ message_records(ref('stg_istandaarden__aangevraagde_producten')) }}
),

wijzigingen as (
    {{ message_records(ref('stg_istandaarden__wijzigingsverzoeken')) }}
),

records as (
    select
        '315' as message_type,
        'aangevraagde_producten' as record_table,
        file_id,
        client_seq,
        product_seq as record_seq,
        standard,
        release_family,
        gemeente_code,
        aanbieder_agb,
        client_pseudonym,
        bericht_identificatie,
        dagtekening,
        referentie_aanbieder,
        product_categorie,
        product_code,
        coalesce(toewijzing_ingangsdatum, ingangsdatum) as gewenste_ingangsdatum,
        cast(null as varchar) as reden_verzoek,
        verwijzer_type
    from aangevraagd
    union all
    select
        '317' as message_type,
        'wijzigingsverzoeken' as record_table,
        file_id,
        client_seq,
        record_seq,
        standard,
        release_family,
        gemeente_code,
        aanbieder_agb,
        client_pseudonym,
        bericht_identificatie,
        dagtekening,
        referentie_aanbieder,
        cast(null as varchar) as product_categorie,
        cast(null as varchar) as product_code,
        cast(null as date) as gewenste_ingangsdatum,
        reden_verzoek,
        cast(null as varchar) as verwijzer_type
    from wijzigingen
),

retouren as (
    select * from {{ ref('retouren') }}
    where retour_code is not null and retour_code <> '0200'
),

-- The reference of each record a retour rejected: the retour repeats the record (with its
-- ReferentieAanbieder) and puts the code on it, on its client or on its header.
afgekeurde_records as (
    select
        retouren.retour_op_file_id,
        product.referentie_aanbieder
    from retouren
    inner join {{ ref('stg_istandaarden__aangevraagde_producten') }} as product
        on
            retouren.file_id = product.file_id
            and retouren.client_seq = product.client_seq
            and (
                retouren.level = 'Client'
                or (
                    retouren.record_table = 'aangevraagde_producten'
                    and retouren.record_seq = product.product_seq
                )
            )
    union all
    select
        retouren.retour_op_file_id,
        verzoek.referentie_aanbieder
    from retouren
    inner join {{ ref('stg_istandaarden__wijzigingsverzoeken') }} as verzoek
        on
            retouren.file_id = verzoek.file_id
            and retouren.client_seq = verzoek.client_seq
    union all
    select
        retour_op_file_id,
        cast(null as varchar) as referentie_aanbieder
    from retouren
    where level = 'Header'
),

geaccepteerd as (
    select records.*
    from records
    where not exists (
        select 1
        from afgekeurde_records as afgekeurd
        where
            afgekeurd.retour_op_file_id = records.file_id
            and (
                afgekeurd.referentie_aanbieder is null
                or afgekeurd.referentie_aanbieder = records.referentie_aanbieder
            )
    )
),

-- iWmo 2.x verzoeken carry no reference: each record is a verzoek of its own.
keyed as (
    select
        *,
        coalesce(
            referentie_aanbieder,
            concat_ws('|', file_id, cast(client_seq as varchar), cast(record_seq as varchar))
        ) as verzoek_sleutel
    from geaccepteerd
),

eerste as (
    select
        *,
        row_number() over (
            partition by standard, gemeente_code, aanbieder_agb, message_type, verzoek_sleutel
            order by dagtekening asc, file_id asc, client_seq asc, record_seq asc
        ) as delivery_seq,
        count(*) over (
            partition by standard, gemeente_code, aanbieder_agb, message_type, verzoek_sleutel
        ) as delivery_count
    from keyed
),

antwoorden as (
    select
        berichten.standard,
        berichten.gemeente_code,
        berichten.aanbieder_agb,
        berichten.dagtekening,
        berichten.bericht_identificatie,
        antwoord.referentie_aanbieder,
        antwoord.verzoek_antwoord,
        antwoord.reden_afwijzing_verzoek,
        row_number() over (
            partition by
                berichten.standard, berichten.gemeente_code, berichten.aanbieder_agb,
                antwoord.referentie_aanbieder
            order by berichten.dagtekening desc, berichten.file_id desc, antwoord.record_seq desc
        ) as recency
    from {{ ref('stg_istandaarden__antwoorden') }} as antwoord
    inner join {{ ref('berichten') }} as berichten
        on antwoord.file_id = berichten.file_id
    where berichten.message_type = '319'
),

toegewezen as (
    select
        standard,
        gemeente_code,
        aanbieder_agb,
        referentie_aanbieder,
        min(toewijzingsdatum) as toewijzingsdatum,
        count(distinct toewijzing_id) as toewijzing_count
    from {{ ref('toewijzing_versies') }}
    where referentie_aanbieder is not null
    group by standard, gemeente_code, aanbieder_agb, referentie_aanbieder
),

final as (
    select
        {{ surrogate_key([
            'eerste.standard', 'eerste.gemeente_code', 'eerste.aanbieder_agb',
            'eerste.message_type', 'eerste.verzoek_sleutel'
        ]) }} as verzoek_id,
        eerste.standard,
        eerste.release_family,
        eerste.gemeente_code,
        eerste.aanbieder_agb,
        eerste.client_pseudonym,
        eerste.message_type,
        eerste.referentie_aanbieder,
        eerste.product_categorie,
        eerste.product_code,
        eerste.gewenste_ingangsdatum,
        eerste.reden_verzoek,
        eerste.verwijzer_type,
        eerste.bericht_identificatie,
        eerste.dagtekening,
        eerste.delivery_count,
        antwoorden.dagtekening as antwoord_dagtekening,
        antwoorden.bericht_identificatie as antwoord_bericht_identificatie,
        antwoorden.verzoek_antwoord,
        antwoorden.reden_afwijzing_verzoek,
        toegewezen.toewijzingsdatum,
        coalesce(toegewezen.toewijzing_count, 0) as toewijzing_count,
        case
            when toegewezen.toewijzingsdatum is not null then 'toegewezen'
            when antwoorden.verzoek_antwoord = '1' then 'afgewezen'
            when antwoorden.verzoek_antwoord = '2' then 'in_onderzoek'
            else 'open'
        end as uitkomst
    from eerste
    left join antwoorden
        on
            eerste.standard = antwoorden.standard
            and eerste.gemeente_code = antwoorden.gemeente_code
            and eerste.aanbieder_agb = antwoorden.aanbieder_agb
            and eerste.referentie_aanbieder = antwoorden.referentie_aanbieder
            and antwoorden.recency = 1
    left join toegewezen
        on
            eerste.standard = toegewezen.standard
            and eerste.gemeente_code = toegewezen.gemeente_code
            and eerste.aanbieder_agb = toegewezen.aanbieder_agb
            and eerste.referentie_aanbieder = toegewezen.referentie_aanbieder
    where eerste.delivery_seq = 1
)

select * from final
