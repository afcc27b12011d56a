-- One row per sender, gemeente, aanbieder and month: the sender's own messages, the clients
-- they name and how many of those BSNs fail the elf-proef. The sender is the aanbieder or the
-- gemeente; retours (and the 325) repeat the BSNs of the message they answer, so they are not
-- the sender's own and are left out, as the invalid_bsn check leaves them out.
with berichten as (
    select * from {{ ref('berichten') }}
    where not is_retour
),

vermeldingen as (
    select * from {{ ref('client_vermeldingen') }}
    where not is_retour
),

per_bericht as (
    select
        file_id,
        count(*) as client_vermeldingen,
        count(*) filter (where is_bsn_ongeldig_verzonden) as ongeldige_bsns
    from vermeldingen
    group by file_id
),

final as (
    select
        berichten.verzender,
        berichten.gemeente_code,
        berichten.aanbieder_agb,
        cast(date_trunc('month', berichten.dagtekening) as date) as maand_start,
        cast(coalesce(sum(per_bericht.client_vermeldingen), 0) as bigint) as client_vermeldingen,
        cast(coalesce(sum(per_bericht.ongeldige_bsns), 0) as bigint) as ongeldige_bsns,
        cast(
            100.0 * coalesce(sum(per_bericht.ongeldige_bsns), 0)
            / nullif(sum(per_bericht.client_vermeldingen), 0) as double precision
        ) as ongeldige_bsn_percentage,
        case
            when berichten.verzender = berichten.gemeente_code then 'gemeente' else 'aanbieder'
        end as verzender_rol,
        count(*) as berichten,
        count(*) filter (where per_bericht.ongeldige_bsns > 0) as berichten_met_ongeldige_bsn
    from berichten
    left join per_bericht on berichten.file_id = per_bericht.file_id
    group by
        berichten.verzender,
        berichten.gemeente_code,
        berichten.aanbieder_agb,
        cast(date_trunc('month', berichten.dagtekening) as date)
)

select * from final
