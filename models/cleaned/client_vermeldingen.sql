-- One row per Client element in a (deduplicated) message: who mentioned which client when,
-- and whether the BSN passed the elf-proef. An invalid BSN marks the record, not the file.
with clienten as (
    select * from {{ ref('stg_istandaarden__clienten') }}
),

berichten as (
    select * from {{ ref('berichten') }}
),

final as (
    select
        {{ surrogate_key(['clienten.file_id', 'clienten.client_seq']) }} as vermelding_id,
        berichten.standard,
        berichten.message_type,
        berichten.gemeente_code,
        berichten.aanbieder_agb,
        berichten.afzender,
        berichten.bericht_identificatie,
        berichten.dagtekening,
        berichten.file_id,
        clienten.client_seq,
        clienten.client_pseudonym,
        clienten.is_bsn_valid,
        berichten.is_retour,
        -- A retour repeats the client of the message it answers: only the sender's own message
        -- counts, so one wrong BSN is one finding.
        not clienten.is_bsn_valid and not berichten.is_retour as is_bsn_ongeldig_verzonden,
        clienten.geboortejaar,
        clienten.geboortemaand,
        clienten.geslacht,
        clienten.postcode4,
        clienten.buurt_code
    from clienten
    inner join berichten
        on clienten.file_id = berichten.file_id
)

select * from final
