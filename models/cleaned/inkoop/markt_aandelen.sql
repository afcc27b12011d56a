-- One row per gemeente, standard, year, inkoop segment and perceel, and aanbieder that was
-- active in it (in zorg or declared, cleaned.markt_activiteit), contracted for it (the
-- catalogue of that year) or active in it the year before: its clients, omzet and shares of
-- both, with the year before. Shares of clients are of the segment's client-aanbieder pairs,
-- so they add up to 1 when a client has two aanbieders in it.
with activiteit as (
    select * from {{ ref('markt_activiteit') }}
),

inkoop as (
    select * from {{ ref('inkoop') }}
),

per_aanbieder as (
    select
        gemeente_code,
        standard,
        jaar,
        segment,
        perceel,
        aanbieder_agb,
        count(distinct client_pseudonym) filter (where is_in_zorg) as clienten,
        sum(ingediend_eurocent) as ingediend_eurocent
    from activiteit
    group by 1, 2, 3, 4, 5, 6
),

gecontracteerd as (
    select distinct
        gemeente_code,
        standard,
        jaar,
        segment,
        perceel,
        aanbieder_agb
    from inkoop
),

-- A gemeente and standard's years with any activity: before its first one, who entered or
-- left is unknown.
bekende_jaren as (
    select distinct
        gemeente_code,
        standard,
        jaar
    from activiteit
),

posities as (
    select
        gemeente_code,
        standard,
        jaar,
        segment,
        perceel,
        aanbieder_agb
    from per_aanbieder
    union
    select
        gemeente_code,
        standard,
        jaar,
        segment,
        perceel,
        aanbieder_agb
    from gecontracteerd
    union
    select
        gemeente_code,
        standard,
        jaar + 1 as jaar,
        segment,
        perceel,
        aanbieder_agb
    from per_aanbieder
    where jaar < cast(extract(year from {{ peildatum() }}) as integer)
),

cijfers as (
    select
        posities.gemeente_code,
        posities.standard,
        posities.jaar,
        posities.segment,
        posities.perceel,
        posities.aanbieder_agb,
        per_aanbieder.aanbieder_agb is not null as is_actief,
        coalesce(per_aanbieder.clienten, 0) as clienten,
        coalesce(per_aanbieder.ingediend_eurocent, 0) as ingediend_eurocent,
        gecontracteerd.aanbieder_agb is not null as is_gecontracteerd
    from posities
    left join per_aanbieder
        on
            posities.gemeente_code = per_aanbieder.gemeente_code
            and posities.standard = per_aanbieder.standard
            and posities.jaar = per_aanbieder.jaar
            and posities.segment = per_aanbieder.segment
            and coalesce(posities.perceel, '') = coalesce(per_aanbieder.perceel, '')
            and posities.aanbieder_agb = per_aanbieder.aanbieder_agb
    left join gecontracteerd
        on
            posities.gemeente_code = gecontracteerd.gemeente_code
            and posities.standard = gecontracteerd.standard
            and posities.jaar = gecontracteerd.jaar
            and posities.segment = gecontracteerd.segment
            and coalesce(posities.perceel, '') = coalesce(gecontracteerd.perceel, '')
            and posities.aanbieder_agb = gecontracteerd.aanbieder_agb
),

aandelen as (
    select
        *,
        case
            when sum(clienten) over markt > 0
                then cast(clienten as double precision) / sum(clienten) over markt
        end as aandeel_clienten,
        case
            when sum(ingediend_eurocent) over markt > 0
                then
                    cast(ingediend_eurocent as double precision)
                    / sum(ingediend_eurocent) over markt
        end as aandeel_omzet
    from cijfers
    window markt as (partition by gemeente_code, standard, jaar, segment, coalesce(perceel, ''))
),

final as (
    select
        huidig.gemeente_code,
        huidig.standard,
        huidig.jaar,
        huidig.segment,
        huidig.perceel,
        huidig.aanbieder_agb,
        huidig.is_gecontracteerd,
        huidig.is_actief,
        huidig.clienten,
        huidig.ingediend_eurocent,
        huidig.aandeel_clienten,
        huidig.aandeel_omzet,
        vorig.aandeel_clienten as aandeel_clienten_vorig_jaar,
        vorig.aandeel_omzet as aandeel_omzet_vorig_jaar,
        case
            when vorig_bekend.jaar is not null
                then huidig.is_actief and not coalesce(vorig.is_actief, false)
        end as is_toetreder,
        case
            when vorig_bekend.jaar is not null
                then not huidig.is_actief and coalesce(vorig.is_actief, false)
        end as is_vertrokken
    from aandelen as huidig
    left join aandelen as vorig
        on
            huidig.gemeente_code = vorig.gemeente_code
            and huidig.standard = vorig.standard
            and huidig.jaar - 1 = vorig.jaar
            and huidig.segment = vorig.segment
            and coalesce(huidig.perceel, '') = coalesce(vorig.perceel, '')
            and huidig.aanbieder_agb = vorig.aanbieder_agb
    left join bekende_jaren as vorig_bekend
        on
            huidig.gemeente_code = vorig_bekend.gemeente_code
            and huidig.standard = vorig_bekend.standard
            and huidig.jaar - 1 = vorig_bekend.jaar
)

select * from final
