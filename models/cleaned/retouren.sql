-- Every retour code with the message it answers: a retour (302-320) repeats the header of its
-- heenbericht, so it links by the same gemeente, aanbieder and BerichtIdentificatie; a 325
-- links to its 323 by DeclaratieIdentificatie. A retour without any code keeps one row, with
-- retour_code null, so no retour goes missing.
with berichten as (
    select * from {{ ref('berichten') }}
),

retour_codes as (
    select * from {{ ref('stg_istandaarden__retour_codes') }}
),

clienten as (
    select * from {{ ref('stg_istandaarden__clienten') }}
),

retour_berichten as (
    select * from berichten
    where is_retour
),

heen_berichten as (
    select * from berichten
    where not is_retour
),

final as (
    select
        {{ surrogate_key([
            'retour.file_id', 'codes.level', 'codes.client_seq', 'codes.record_table',
            'codes.record_seq', 'codes.code_seq'
        ]) }} as retour_code_id,
        retour.file_id,
        retour.standard,
        retour.release,
        retour.message_type,
        retour.gemeente_code,
        retour.aanbieder_agb,
        retour.verzender_identificatie as retour_identificatie,
        coalesce(retour.dagtekening_retour, retour.dagtekening) as retour_dagtekening,
        retour.retour_op_message_type,
        coalesce(retour.declaratie_identificatie, retour.bericht_identificatie)
            as retour_op_bericht_identificatie,
        heen.file_id as retour_op_file_id,
        heen.dagtekening as retour_op_dagtekening,
        codes.level,
        codes.record_table,
        codes.client_seq,
        codes.record_seq,
        clienten.client_pseudonym,
        codes.code_seq,
        codes.retour_code
    from retour_berichten as retour
    left join heen_berichten as heen
        on
            retour.standard = heen.standard
            and retour.retour_op_message_type = heen.message_type
            and retour.gemeente_code = heen.gemeente_code
            and retour.aanbieder_agb = heen.aanbieder_agb
            and coalesce(retour.declaratie_identificatie, retour.bericht_identificatie)
            = heen.bericht_identificatie
    left join retour_codes as codes
        on retour.file_id = codes.file_id
    left join clienten
        on
            codes.file_id = clienten.file_id
            and codes.client_seq = clienten.client_seq
)

select * from final
