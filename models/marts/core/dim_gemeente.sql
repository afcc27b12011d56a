with berichten as (
    select * from {{ ref('berichten') }}
),

-- CBS's view of the gemeente: its latest year in dim_gemeente_jaar (per year: that mart).
cbs as (
    select *
    from (
        select
            *,
            row_number() over (partition by gemeente_code order by jaar desc) as rang
        from {{ ref('dim_gemeente_jaar') }}
    ) as gerangschikt
    where rang = 1
),

verkeer as (
    select
        gemeente_code,
        bool_or(standard = 'iwmo') as heeft_wmo_berichten,
        bool_or(standard = 'ijw') as heeft_jeugd_berichten,
        count(distinct aanbieder_agb) as aanbieder_count,
        min(dagtekening) as eerste_bericht_datum,
        max(dagtekening) as laatste_bericht_datum
    from berichten
    group by gemeente_code
),

final as (
    select
        verkeer.*,
        cbs.gemeente_naam,
        cbs.jeugdregio_code,
        cbs.jeugdregio_naam,
        cbs.grootteklasse_code,
        cbs.jaar as cbs_jaar,
        'GM' || verkeer.gemeente_code as cbs_gemeente_code
    from verkeer
    left join cbs on verkeer.gemeente_code = cbs.gemeente_code
)

select * from final
