with berichten as (
    select * from {{ ref('berichten') }}
),

final as (
    select
        gemeente_code,
        bool_or(standard = 'iwmo') as heeft_wmo_berichten,
        bool_or(standard = 'ijw') as heeft_jeugd_berichten,
        count(distinct aanbieder_agb) as aanbieder_count,
        min(dagtekening) as eerste_bericht_datum,
        max(dagtekening) as laatste_bericht_datum
    from berichten
    group by gemeente_code
)

select * from final
