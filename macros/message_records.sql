{#- Records of one message level (products of a 301/305/307...) with the context every cleaned
    model needs: who sent it to whom, when, under which standard, for which client. The inner
    join on cleaned `berichten` drops the copies a retransmission brought in, and the records a
    retour or 325 repeats from the message it answers (cleaned `retouren` has those). -#}
{% macro message_records(records) -%}
    select
        berichten.standard,
        berichten.release,
        berichten.release_family,
        berichten.gemeente_code,
        berichten.aanbieder_agb,
        berichten.bericht_identificatie,
        berichten.dagtekening,
        clienten.client_pseudonym,
        clienten.is_bsn_valid,
        records.*
    from {{ records }} as records
    inner join {{ ref('berichten') }} as berichten
        on records.file_id = berichten.file_id
    inner join {{ ref('stg_istandaarden__clienten') }} as clienten
        on
            records.file_id = clienten.file_id
            and records.client_seq = clienten.client_seq
    where berichten.retour_op_message_type is null
{%- endmacro %}
