-- A message sent more than once (same sender, standard, type and BerichtIdentificatie in
-- another file) is kept once; the lowest file_id wins so that every rebuild picks the same one.
with berichten as (
    select * from {{ ref('stg_istandaarden__berichten') }}
),

numbered as (
    select
        *,
        row_number() over (
            partition by standard, message_type, afzender, bericht_identificatie
            order by file_id
        ) as transmission_seq,
        count(*) over (
            partition by standard, message_type, afzender, bericht_identificatie
        ) - 1 as retransmission_count
    from berichten
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
        retransmission_count
    from numbered
    where transmission_seq = 1
)

select * from final
