-- One row per gemeente, aanbieder, standard and month in which the aanbieder sent messages the
-- gemeente answered with a retour (306, 308, 316, 318): how many of them the gemeente rejected,
-- and with which retour code most often. The month is that of the heenbericht's Dagtekening,
-- which the retour repeats in its header, so a rejected message counts even when its own file
-- could not be loaded. A class is rejected by any code other than 0200 (accepted); one rejected
-- class makes the message afgekeurd.
with retouren as (
    select * from {{ ref('retouren') }}
    where retour_op_message_type in ('305', '307', '315', '317')
),

berichten as (
    select * from {{ ref('berichten') }}
),

per_retour as (
    select
        retouren.file_id,
        retouren.gemeente_code,
        retouren.aanbieder_agb,
        retouren.standard,
        cast(date_trunc('month', berichten.dagtekening) as date) as maand_start,
        count(*) filter (where retouren.retour_code <> '0200') > 0 as is_afgekeurd
    from retouren
    inner join berichten
        on retouren.file_id = berichten.file_id
    group by 1, 2, 3, 4, 5
),

per_maand as (
    select
        gemeente_code,
        aanbieder_agb,
        standard,
        maand_start,
        count(*) as berichten_beantwoord,
        count(*) filter (where is_afgekeurd) as berichten_afgekeurd
    from per_retour
    group by 1, 2, 3, 4
),

codes as (
    select
        per_retour.gemeente_code,
        per_retour.aanbieder_agb,
        per_retour.standard,
        per_retour.maand_start,
        retouren.retour_code,
        count(*) as aantal
    from retouren
    inner join per_retour
        on retouren.file_id = per_retour.file_id
    where retouren.retour_code <> '0200'
    group by 1, 2, 3, 4, 5
),

-- The most frequent code; on a tie the lowest, so a rebuild names the same one.
codes_gerangschikt as (
    select
        *,
        row_number() over (
            partition by gemeente_code, aanbieder_agb, standard, maand_start
            order by aantal desc, retour_code asc
        ) as rang
    from codes
),

final as (
    select
        per_maand.gemeente_code,
        per_maand.aanbieder_agb,
        per_maand.standard,
        per_maand.maand_start,
        per_maand.berichten_beantwoord,
        per_maand.berichten_afgekeurd,
        codes_gerangschikt.retour_code as meest_voorkomende_retourcode,
        cast(per_maand.berichten_afgekeurd as double precision)
        / per_maand.berichten_beantwoord as aandeel_afgekeurd,
        coalesce(codes_gerangschikt.aantal, 0) as meest_voorkomende_retourcode_aantal
    from per_maand
    left join codes_gerangschikt
        on
            per_maand.gemeente_code = codes_gerangschikt.gemeente_code
            and per_maand.aanbieder_agb = codes_gerangschikt.aanbieder_agb
            and per_maand.standard = codes_gerangschikt.standard
            and per_maand.maand_start = codes_gerangschikt.maand_start
            and codes_gerangschikt.rang = 1
)

select * from final
