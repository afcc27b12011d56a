-- One row per gebied (gemeente or region), standard (`alle` for both domains), KPI and month
-- that a streefwaarde covers, up to the peildatum's month: what was realised, the target, the
-- difference, the status and the trend against the month before. Each KPI is the semantic
-- layer's metric (seed doel_kpi) over the gebied's gemeenten and the standard, per month.
with streefwaarden as (
    select * from {{ ref('streefwaarden') }}
),

kpis as (
    select * from {{ ref('doel_kpi') }}
),

regios as (
    select * from {{ ref('doel_gebieden') }}
),

maanden as (
    select distinct cast(date_trunc('month', datum) as date) as maand_start
    from {{ ref('kalender') }}
    where datum <= {{ peildatum() }}
),

leden as (
    -- A gemeente is a gebied of its own; a region holds the gemeenten the seed lists.
    select distinct
        gebied_code,
        'gemeente' as gebied_soort,
        gebied_code as gemeente_code
    from streefwaarden
    where length(gebied_code) = 4 and gebied_code between '0000' and '9999'
    union all
    select
        gebied_code,
        'regio' as gebied_soort,
        gemeente_code
    from regios
),

gebieden as (
    select distinct
        gebied_code,
        gebied_soort
    from leden
),

standaarden as (
    select 'iwmo' as standard
    union all
    select 'ijw' as standard
),

bereik as (
    -- Per gebied and standard of a target: the gemeenten and standards it takes in.
    select distinct
        doelen.gebied_code,
        doelen.standard,
        leden.gemeente_code,
        standaarden.standard as lid_standard
    from streefwaarden as doelen
    inner join leden on doelen.gebied_code = leden.gebied_code
    inner join standaarden
        on doelen.standard in ('alle', standaarden.standard)
),

clienten as (
    select
        bereik.gebied_code,
        bereik.standard,
        client_maanden.maand_start,
        count(distinct client_maanden.client_pseudonym) as clienten_in_zorg,
        sum(case when client_maanden.is_instroom then 1 else 0 end) as instroom,
        sum(case when client_maanden.is_uitstroom then 1 else 0 end) as uitstroom
    from {{ ref('client_maanden') }} as client_maanden
    inner join bereik
        on
            client_maanden.gemeente_code = bereik.gemeente_code
            and client_maanden.standard = bereik.lid_standard
    group by 1, 2, 3
),

wachttijd as (
    select
        bereik.gebied_code,
        bereik.standard,
        cast(date_trunc('month', zorgperioden.begindatum) as date) as maand_start,
        {{ percentile('zorgperioden.wachttijd_dagen', 0.5) }} as wachttijd_mediaan
    from {{ ref('zorgperioden') }} as zorgperioden
    inner join bereik
        on
            zorgperioden.gemeente_code = bereik.gemeente_code
            and zorgperioden.standard = bereik.lid_standard
    group by 1, 2, 3
),

gedeclareerd as (
    select
        bereik.gebied_code,
        bereik.standard,
        cast(date_trunc('month', regels.begindatum) as date) as maand_start,
        sum(regels.ingediend_eurocent) / 100.0 as gedeclareerd_bedrag
    from {{ ref('declaratieregels') }} as regels
    inner join bereik
        on
            regels.gemeente_code = bereik.gemeente_code
            and regels.standard = bereik.lid_standard
    group by 1, 2, 3
),

doel_maanden as (
    select
        doelen.gebied_code,
        doelen.standard,
        doelen.kpi,
        doelen.jaar,
        doelen.periode,
        doelen.streefwaarde,
        doelen.richting,
        doelen.signaalmarge,
        maanden.maand_start
    from streefwaarden as doelen
    inner join maanden
        on
            cast(extract(year from maanden.maand_start) as integer) = doelen.jaar
            and cast(extract(month from maanden.maand_start) as integer)
            between doelen.maand_van and doelen.maand_tot
),

gerealiseerd as (
    -- A region the seed does not list realises nothing that can be known: null, not 0.
    select
        doel_maanden.*,
        cast(case
            when gebieden.gebied_code is null then null
            when doel_maanden.kpi = 'clienten_in_zorg' then coalesce(clienten.clienten_in_zorg, 0)
            when doel_maanden.kpi = 'instroom' then coalesce(clienten.instroom, 0)
            when doel_maanden.kpi = 'uitstroom' then coalesce(clienten.uitstroom, 0)
            when doel_maanden.kpi = 'wachttijd_mediaan' then wachttijd.wachttijd_mediaan
            when
                doel_maanden.kpi = 'gedeclareerd_bedrag'
                then coalesce(gedeclareerd.gedeclareerd_bedrag, 0)
        end as double precision) as gerealiseerd
    from doel_maanden
    left join gebieden on doel_maanden.gebied_code = gebieden.gebied_code
    left join clienten
        on
            doel_maanden.gebied_code = clienten.gebied_code
            and doel_maanden.standard = clienten.standard
            and doel_maanden.maand_start = clienten.maand_start
    left join wachttijd
        on
            doel_maanden.gebied_code = wachttijd.gebied_code
            and doel_maanden.standard = wachttijd.standard
            and doel_maanden.maand_start = wachttijd.maand_start
    left join gedeclareerd
        on
            doel_maanden.gebied_code = gedeclareerd.gebied_code
            and doel_maanden.standard = gedeclareerd.standard
            and doel_maanden.maand_start = gedeclareerd.maand_start
),

beoordeeld as (
    select
        gerealiseerd.*,
        gerealiseerd.gerealiseerd - gerealiseerd.streefwaarde as verschil,
        -- How far the value is on the wrong side of the target (0 or less: target met).
        case gerealiseerd.richting
            when 'hoogstens' then gerealiseerd.gerealiseerd - gerealiseerd.streefwaarde
            else gerealiseerd.streefwaarde - gerealiseerd.gerealiseerd
        end as tekort,
        lag(gerealiseerd.gerealiseerd) over (
            partition by gerealiseerd.gebied_code, gerealiseerd.standard, gerealiseerd.kpi
            order by gerealiseerd.maand_start
        ) as gerealiseerd_vorige_maand,
        lag(gerealiseerd.maand_start) over (
            partition by gerealiseerd.gebied_code, gerealiseerd.standard, gerealiseerd.kpi
            order by gerealiseerd.maand_start
        ) as vorige_maand
    from gerealiseerd
),

final as (
    select
        beoordeeld.gebied_code,
        beoordeeld.standard,
        beoordeeld.kpi,
        kpis.metric,
        kpis.naam as kpi_naam,
        kpis.eenheid,
        beoordeeld.maand_start,
        beoordeeld.jaar,
        beoordeeld.periode,
        beoordeeld.richting,
        beoordeeld.gerealiseerd,
        beoordeeld.streefwaarde,
        beoordeeld.signaalmarge,
        beoordeeld.verschil,
        coalesce(gebieden.gebied_soort, 'onbekend') as gebied_soort,
        case
            when beoordeeld.gerealiseerd is null then null
            when beoordeeld.tekort <= 0 then 'op koers'
            when beoordeeld.tekort <= beoordeeld.signaalmarge then 'signaal'
            else 'niet gehaald'
        end as status,
        -- The month before, when a target covers it too (the same KPI, gebied and standard).
        case
            when
                beoordeeld.vorige_maand
                = cast(beoordeeld.maand_start - interval '1 month' as date)
                then beoordeeld.gerealiseerd_vorige_maand
        end as gerealiseerd_vorige_maand,
        case
            when
                beoordeeld.vorige_maand
                != cast(beoordeeld.maand_start - interval '1 month' as date)
                or beoordeeld.gerealiseerd_vorige_maand is null
                or beoordeeld.gerealiseerd is null
                then null
            when beoordeeld.gerealiseerd = beoordeeld.gerealiseerd_vorige_maand then 'gelijk'
            when
                (beoordeeld.gerealiseerd < beoordeeld.gerealiseerd_vorige_maand)
                = (beoordeeld.richting = 'hoogstens')
                then 'beter'
            else 'slechter'
        end as trend
    from beoordeeld
    inner join kpis on beoordeeld.kpi = kpis.kpi
    left join gebieden on beoordeeld.gebied_code = gebieden.gebied_code
)

select * from final
