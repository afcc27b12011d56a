-- One row per client, standard and month in which the client was in zorg: the basis of stock
-- (clients in zorg), instroom and uitstroom. Running care counts up to the peildatum; a period
-- whose stop lies before its start is left out (it is a quality finding, not care).
with zorgperioden as (
    select * from {{ ref('zorgperioden') }}
    where einddatum is null or einddatum >= begindatum
),

maanden as (
    select distinct cast(date_trunc('month', datum) as date) as maand_start
    from {{ ref('kalender') }}
),

client_maanden as (
    select distinct
        zorgperioden.standard,
        zorgperioden.gemeente_code,
        zorgperioden.client_pseudonym,
        maanden.maand_start
    from zorgperioden
    inner join maanden
        on
            maanden.maand_start >= cast(date_trunc('month', zorgperioden.begindatum) as date)
            and maanden.maand_start <= cast(date_trunc(
                'month', coalesce(zorgperioden.einddatum, {{ peildatum() }})
            ) as date)
    where zorgperioden.begindatum <= {{ peildatum() }}
),

flagged as (
    select
        *,
        lag(maand_start) over (
            partition by standard, gemeente_code, client_pseudonym order by maand_start
        ) as vorige_maand,
        lead(maand_start) over (
            partition by standard, gemeente_code, client_pseudonym order by maand_start
        ) as volgende_maand
    from client_maanden
),

final as (
    select
        standard,
        gemeente_code,
        client_pseudonym,
        maand_start,
        vorige_maand is null
        or vorige_maand < cast(maand_start - interval '1 month' as date) as is_instroom,
        (
            volgende_maand is null
            and maand_start < cast(date_trunc('month', {{ peildatum() }}) as date)
        )
        or volgende_maand > cast(maand_start + interval '1 month' as date) as is_uitstroom
    from flagged
)

select * from final
