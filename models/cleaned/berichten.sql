-- One row per message: of the files carrying the same message (sender, standard, type and
-- identification) one counts. Files with the same content (raw.ingest_files.
-- content_fingerprint: what the parser read, whatever the bytes) are retransmissions. Files
-- whose content differs are a conflict: the content that counts is that of the file with the
-- latest Dagtekening, ties broken by the file loaded last, then the highest file_id; of several
-- files with that content the first loaded counts, so a retransmission changes nothing.
-- Every rebuild picks the same file. The other files stay in raw; the quality check
-- conflicting_retransmission names them all.
-- A retour (302-320) repeats the header of the message it answers, so its sender is the
-- header's Ontvanger and its identification is IdentificatieRetour; a 325 is the gemeente's own
-- message and points to the 323 it answers with DeclaratieIdentificatie.
with berichten as (
    select * from {{ ref('stg_istandaarden__berichten') }}
),

-- What each message type answers (seeds/berichtsoort.csv, which the parser reads too).
berichtsoort as (
    select
        standard,
        release_family,
        message_type,
        retour_op_message_type
    from {{ ref('berichtsoort') }}
),

files as (
    select
        file_id,
        path,
        content_fingerprint,
        loaded_at
    from {{ ref('stg_istandaarden__ingest_files') }}
    where status = 'loaded'
),

identified as (
    select
        berichten.*,
        files.path,
        files.content_fingerprint,
        files.loaded_at,
        berichtsoort.retour_op_message_type,
        case
            when berichten.identificatie_retour is not null
                then berichten.ontvanger
            else berichten.afzender
        end as verzender,
        coalesce(
            berichten.identificatie_retour, berichten.bericht_identificatie
        ) as verzender_identificatie
    from berichten
    left join files on berichten.file_id = files.file_id
    left join berichtsoort
        on
            berichten.standard = berichtsoort.standard
            and berichten.release_family = berichtsoort.release_family
            and berichten.message_type = berichtsoort.message_type
),

versioned as (
    select
        *,
        first_value(content_fingerprint) over (
            partition by standard, message_type, verzender, verzender_identificatie
            order by dagtekening desc nulls last, loaded_at desc, file_id desc
        ) as counted_fingerprint,
        row_number() over (
            partition by
                standard, message_type, verzender, verzender_identificatie, content_fingerprint
            order by loaded_at asc, file_id asc
        ) as copy_seq,
        dense_rank() over (
            partition by standard, message_type, verzender, verzender_identificatie
            order by content_fingerprint
        ) as version_seq
    from identified
),

per_message as (
    select
        standard,
        message_type,
        verzender,
        verzender_identificatie,
        count(*) as file_count,
        max(version_seq) as version_count,
        string_agg(path, ', ' order by path) as file_paths
    from versioned
    group by standard, message_type, verzender, verzender_identificatie
),

final as (
    select
        versioned.file_id,
        versioned.path,
        versioned.standard,
        versioned.release,
        versioned.release_family,
        versioned.message_type,
        versioned.bericht_code,
        versioned.afzender,
        versioned.ontvanger,
        versioned.bericht_identificatie,
        versioned.dagtekening,
        versioned.gemeente_code,
        versioned.aanbieder_agb,
        versioned.retour_op_message_type,
        versioned.verzender,
        versioned.verzender_identificatie,
        versioned.identificatie_retour,
        versioned.dagtekening_retour,
        versioned.declaratie_identificatie,
        versioned.declaratie_dagtekening,
        per_message.file_count - per_message.version_count as retransmission_count,
        per_message.version_count - 1 as conflict_count,
        case
            when per_message.version_count > 1 then per_message.file_paths
        end as conflicting_paths,
        versioned.retour_op_message_type is not null as is_retour
    from versioned
    inner join per_message
        on
            versioned.standard = per_message.standard
            and versioned.message_type = per_message.message_type
            and versioned.verzender = per_message.verzender
            and versioned.verzender_identificatie = per_message.verzender_identificatie
    where
        versioned.copy_seq = 1
        and (
            versioned.content_fingerprint = versioned.counted_fingerprint
            or versioned.counted_fingerprint is null
        )
)

select * from final
