-- One row per gemeente code, aanbieder and year in the message headers, with whether CBS knows
-- the code for that year. Unknown: the code was abolished in a herindeling before that year
-- (herindelingen), or the CBS population figures loaded for that year (KWB or 03759ned, which
-- list every gemeente of the year's indeling) do not name it. A year without loaded population
-- figures has no list to check against, so only the herindelingen apply there.
-- The CBS side is cleaned.gemeente_jaren: one definition of "a gemeente in a year".
with berichten as (
    select * from {{ ref('berichten') }}
),

gemeente_jaren as (
    select * from {{ ref('gemeente_jaren') }}
),

herindelingen as (
    select * from {{ ref('herindelingen') }}
),

gebruikt as (
    select
        gemeente_code,
        aanbieder_agb,
        cast(extract(year from dagtekening) as integer) as jaar,
        count(*) as bericht_count,
        min(dagtekening) as eerste_bericht_datum,
        max(dagtekening) as laatste_bericht_datum
    from berichten
    where dagtekening is not null
    group by 1, 2, 3
),

cbs_jaren as (
    select distinct jaar
    from gemeente_jaren
    where inwoners is not null
),

final as (
    select
        {{ surrogate_key(['gebruikt.gemeente_code', 'gebruikt.aanbieder_agb', 'gebruikt.jaar']) }}
            as gebruikte_gemeentecode_id,
        gebruikt.gemeente_code,
        gebruikt.aanbieder_agb,
        gebruikt.jaar,
        gebruikt.bericht_count,
        gebruikt.eerste_bericht_datum,
        gebruikt.laatste_bericht_datum,
        gemeente_jaren.gemeente_code is not null as is_in_cbs_lijst,
        cbs_jaren.jaar is not null as heeft_cbs_lijst,
        herindelingen.directe_opvolger_code,
        herindelingen.ingangsdatum as opgeheven_per,
        coalesce(
            herindelingen.opgeheven_per_jaar <= gebruikt.jaar
            or (cbs_jaren.jaar is not null and gemeente_jaren.gemeente_code is null),
            false
        ) as is_onbekend_bij_cbs,
        case
            when herindelingen.opgeheven_per_jaar <= gebruikt.jaar
                then
                    'abolished on ' || cast(herindelingen.ingangsdatum as varchar)
                    || ', merged into ' || herindelingen.directe_opvolger_code
            when cbs_jaren.jaar is not null and gemeente_jaren.gemeente_code is null
                then 'not in the CBS gemeente list of ' || cast(gebruikt.jaar as varchar)
        end as reden_onbekend
    from gebruikt
    left join gemeente_jaren
        on
            gebruikt.gemeente_code = gemeente_jaren.gemeente_code
            and gebruikt.jaar = gemeente_jaren.jaar
    left join cbs_jaren on gebruikt.jaar = cbs_jaren.jaar
    left join herindelingen on gebruikt.gemeente_code = herindelingen.gemeente_code
)

select * from final
