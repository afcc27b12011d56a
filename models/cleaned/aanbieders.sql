-- One row per aanbieder: its message traffic, and whether it has gone silent: sent no message
-- itself for dagen_zonder_berichten days before the peildatum, which hides missing starts,
-- stops and declaraties. Messages to it say nothing about that.
with berichten as (
    select * from {{ ref('berichten') }}
),

final as (
    select
        aanbieder_agb,
        min(gemeente_code) as gemeente_code,
        bool_or(standard = 'iwmo') as levert_wmo,
        bool_or(standard = 'ijw') as levert_jeugd,
        count(distinct gemeente_code) as gemeente_count,
        count(*) as bericht_count,
        min(dagtekening) as eerste_bericht_datum,
        max(dagtekening) as laatste_bericht_datum,
        max(dagtekening) filter (where verzender = aanbieder_agb) as laatste_verzonden_datum,
        {{ peildatum() }} - max(dagtekening) filter (
            where verzender = aanbieder_agb
        ) as dagen_sinds_laatste_bericht,
        coalesce({{ peildatum() }} - max(dagtekening) filter (
            where verzender = aanbieder_agb
        ) > {{ var('dagen_zonder_berichten') }}, false) as is_stil
    from berichten
    group by aanbieder_agb
)

select * from final
