-- A message sent more than once (same sender, standard, type and identification in another
-- file) is kept once; the lowest file_id wins so that every rebuild picks the same one.
-- A retour (302-320) repeats the header of the message it answers, so its sender is the
-- header's Ontvanger and its identification is IdentificatieRetour; a 325 is the gemeente's own
-- message and points to the 323 it answers with DeclaratieIdentificatie.
with berichten as (
    select * from {{ ref('stg_istandaarden__berichten') }}
),

identified as (
    select
        *,
        case
            when message_type = '325' then '323'
            when message_type in ('302', '306', '308', '316', '318', '320')
                then cast(cast(message_type as integer) - 1 as varchar)
        end as retour_op_message_type,
        case
            when identificatie_retour is not null then ontvanger else afzender
        end as verzender,
        coalesce(identificatie_retour, bericht_identificatie) as verzender_identificatie
    from berichten
),

numbered as (
    select
        *,
        row_number() over (
            partition by standard, message_type, verzender, verzender_identificatie
            order by file_id
        ) as transmission_seq,
        count(*) over (
            partition by standard, message_type, verzender, verzender_identificatie
        ) - 1 as retransmission_count
    from identified
),

final as (
    select
        file_id,
        standard,
        release,
        release_family,
        message_type,
        bericht_code,
        afzender,
        ontvanger,
        bericht_identificatie,
        dagtekening,
        gemeente_code,
        aanbieder_agb,
        retour_op_message_type,
        verzender,
        verzender_identificatie,
        identificatie_retour,
        dagtekening_retour,
        declaratie_identificatie,
        declaratie_dagtekening,
        retransmission_count,
        retour_op_message_type is not null as is_retour
    from numbered
    where transmission_seq = 1
)

select * from final
