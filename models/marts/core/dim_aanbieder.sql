with berichten as (
    select * from {{ ref('berichten') }}
),

final as (
    select
        aanbieder_agb,
        bool_or(standard = 'iwmo') as levert_wmo,
        bool_or(standard = 'ijw') as levert_jeugd,
        count(distinct gemeente_code) as gemeente_count,
        min(dagtekening) as eerste_bericht_datum,
        max(dagtekening) as laatste_bericht_datum
    from berichten
    group by aanbieder_agb
)

select * from final
