-- One row per gemeente, standard, aanbieder, productcategorie and month in which at least one
-- toewijzing was waiting at the month's end or started in the month. A toewijzing waits on a
-- peilmoment (the month's last day, for the current month the peildatum) when its Ingangsdatum
-- has come, no 305 naming its number states a Begindatum on or before it, and its Einddatum has
-- not passed: the history is restated with every start known now. The wachttijd including those
-- still waiting takes the started ones' wachttijd and the waiting ones' days so far together.
with toewijzingen as (
    select * from {{ ref('toewijzingen') }}
),

-- Any 305 naming the toewijzing's number starts it, even under another client or product (an
-- invalid BSN, an unknown code: findings of their own), as toewijzing_opvolging counts it.
starts as (
    select
        standard,
        gemeente_code,
        aanbieder_agb,
        toewijzing_nummer,
        min(begindatum) as eerste_begindatum
    from {{ ref('zorgstarts') }}
    group by 1, 2, 3, 4
),

peilmomenten as (
    select datum as peilmoment
    from {{ ref('kalender') }}
    where
        datum < {{ peildatum() }}
        and extract(month from datum + 1) <> extract(month from datum)
    union all
    select {{ peildatum() }} as peilmoment
),

toewijzing_starts as (
    select
        toewijzingen.standard,
        toewijzingen.gemeente_code,
        toewijzingen.aanbieder_agb,
        toewijzingen.product_categorie,
        toewijzingen.client_pseudonym,
        toewijzingen.ingangsdatum,
        toewijzingen.einddatum,
        starts.eerste_begindatum
    from toewijzingen
    left join starts
        on
            toewijzingen.standard = starts.standard
            and toewijzingen.gemeente_code = starts.gemeente_code
            and toewijzingen.aanbieder_agb = starts.aanbieder_agb
            and toewijzingen.toewijzing_nummer = starts.toewijzing_nummer
),

wachtend as (
    select
        toewijzing_starts.standard,
        toewijzing_starts.gemeente_code,
        toewijzing_starts.aanbieder_agb,
        toewijzing_starts.product_categorie,
        toewijzing_starts.client_pseudonym,
        cast(date_trunc('month', peilmomenten.peilmoment) as date) as maand_start,
        true as is_wachtend,
        cast(peilmomenten.peilmoment - toewijzing_starts.ingangsdatum as integer) as dagen
    from toewijzing_starts
    inner join peilmomenten
        on
            toewijzing_starts.ingangsdatum <= peilmomenten.peilmoment
            and (
                toewijzing_starts.eerste_begindatum is null
                or toewijzing_starts.eerste_begindatum > peilmomenten.peilmoment
            )
            and (
                toewijzing_starts.einddatum is null
                or toewijzing_starts.einddatum >= peilmomenten.peilmoment
            )
),

gestart as (
    select
        standard,
        gemeente_code,
        aanbieder_agb,
        product_categorie,
        client_pseudonym,
        cast(date_trunc('month', eerste_begindatum) as date) as maand_start,
        false as is_wachtend,
        cast(eerste_begindatum - ingangsdatum as integer) as dagen
    from toewijzing_starts
    where eerste_begindatum <= {{ peildatum() }}
),

samen as (
    select * from wachtend
    union all
    select * from gestart
),

final as (
    select
        gemeente_code,
        standard,
        aanbieder_agb,
        product_categorie,
        maand_start,
        least(
            cast(maand_start + interval '1 month' - interval '1 day' as date), {{ peildatum() }}
        ) as peilmoment,
        count(*) filter (where is_wachtend) as wachtende_toewijzingen,
        count(distinct client_pseudonym) filter (where is_wachtend) as wachtende_clienten,
        {{ percentile('case when is_wachtend then dagen end', 0.5) }} as wachtdagen_mediaan,
        {{ percentile('case when is_wachtend then dagen end', 0.8) }} as wachtdagen_p80,
        max(case when is_wachtend then dagen end) as wachtdagen_max,
        count(*) filter (
            where is_wachtend and dagen > {{ var('treeknorm_dagen') }}
        ) as boven_treeknorm,
        count(*) filter (
            where is_wachtend and dagen > {{ var('treeknorm_max_dagen') }}
        ) as boven_treeknorm_max,
        count(*) filter (where not is_wachtend) as gestarte_toewijzingen,
        {{ percentile('case when not is_wachtend then dagen end', 0.5) }}
            as wachttijd_gestart_mediaan,
        {{ percentile('dagen', 0.5) }} as wachttijd_inclusief_wachtenden_mediaan,
        {{ percentile('dagen', 0.8) }} as wachttijd_inclusief_wachtenden_p80
    from samen
    group by 1, 2, 3, 4, 5
)

select * from final
