-- One row per gemeente, standard, year, inkoop segment and perceel: how many aanbieders the
-- gemeente contracted and how many were active (in zorg or declared), the clients in zorg and
-- the omzet, how concentrated the market is (CR3, HHI, on omzet and on clients) and how many
-- aanbieders entered or left it since the year before.
with aandelen as (
    select * from {{ ref('markt_aandelen') }}
),

activiteit as (
    select * from {{ ref('markt_activiteit') }}
),

catalogus_jaren as (
    select distinct
        gemeente_code,
        standard,
        jaar
    from {{ ref('inkoop') }}
),

clienten as (
    select
        gemeente_code,
        standard,
        jaar,
        segment,
        perceel,
        count(distinct client_pseudonym) filter (where is_in_zorg) as clienten
    from activiteit
    group by 1, 2, 3, 4, 5
),

gerangschikt as (
    select
        *,
        row_number() over (
            partition by gemeente_code, standard, jaar, segment, coalesce(perceel, '')
            order by aandeel_omzet desc nulls last, aanbieder_agb asc
        ) as rang_omzet,
        row_number() over (
            partition by gemeente_code, standard, jaar, segment, coalesce(perceel, '')
            order by aandeel_clienten desc nulls last, aanbieder_agb asc
        ) as rang_clienten
    from aandelen
),

per_markt as (
    select
        gemeente_code,
        standard,
        jaar,
        segment,
        perceel,
        count(*) filter (where is_gecontracteerd) as gecontracteerde_aanbieders,
        count(*) filter (where is_actief) as actieve_aanbieders,
        sum(ingediend_eurocent) as ingediend_eurocent,
        sum(aandeel_omzet) filter (where rang_omzet <= 3) as cr3_omzet,
        sum(power(100 * aandeel_omzet, 2)) as hhi_omzet,
        sum(aandeel_clienten) filter (where rang_clienten <= 3) as cr3_clienten,
        sum(power(100 * aandeel_clienten, 2)) as hhi_clienten,
        count(*) filter (where is_toetreder) as toetreders,
        count(*) filter (where is_vertrokken) as vertrekkers,
        bool_and(is_toetreder is not null) as is_vorig_jaar_bekend
    from gerangschikt
    group by 1, 2, 3, 4, 5
),

final as (
    select
        per_markt.gemeente_code,
        per_markt.standard,
        per_markt.jaar,
        per_markt.segment,
        per_markt.perceel,
        per_markt.actieve_aanbieders,
        per_markt.cr3_omzet,
        per_markt.hhi_omzet,
        per_markt.cr3_clienten,
        per_markt.hhi_clienten,
        cast(per_markt.ingediend_eurocent / 100.0 as decimal(18, 2)) as omzet_eur,
        case
            when catalogus_jaren.jaar is not null then per_markt.gecontracteerde_aanbieders
        end as gecontracteerde_aanbieders,
        coalesce(clienten.clienten, 0) as clienten,
        case when per_markt.is_vorig_jaar_bekend then per_markt.toetreders end as toetreders,
        case when per_markt.is_vorig_jaar_bekend then per_markt.vertrekkers end as vertrekkers
    from per_markt
    left join clienten
        on
            per_markt.gemeente_code = clienten.gemeente_code
            and per_markt.standard = clienten.standard
            and per_markt.jaar = clienten.jaar
            and per_markt.segment = clienten.segment
            and coalesce(per_markt.perceel, '') = coalesce(clienten.perceel, '')
    left join catalogus_jaren
        on
            per_markt.gemeente_code = catalogus_jaren.gemeente_code
            and per_markt.standard = catalogus_jaren.standard
            and per_markt.jaar = catalogus_jaren.jaar
)

select * from final
