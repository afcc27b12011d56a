-- One row per current toewijzing: what one client was allocated and what came of it, the
-- pseudonymous client level of the monitor. The first zorgperiode under the toewijzing gives
-- the wachttijd; all of them give the care received; the declaratieregels linked to it give
-- what was declared, next to what was allocated up to the peildatum.
with opvolging as (
    select * from {{ ref('toewijzing_opvolging') }}
),

declaraties as (
    select
        toewijzing_id,
        count(*) as declaratieregel_count,
        -- Volume only adds up in the toewijzing's own eenheid.
        sum(case when eenheid = toegewezen_eenheid then geleverd_volume end)
            as gedeclareerd_volume,
        sum(ingediend_eurocent) as ingediend_eurocent
    from {{ ref('declaratieregels') }}
    where toewijzing_id is not null
    group by 1
),

tarieven as (
    -- The contracted tariff from the gemeente's inkoop catalogue (the lines that count).
    select
        gemeente_code,
        standard,
        aanbieder_agb,
        product_code,
        jaar,
        tarief_eurocent
    from {{ ref('inkoop') }}
),

tariefjaren as (
    -- The catalogue years a product of the aanbieder has a tariff in.
    select
        gemeente_code,
        standard,
        aanbieder_agb,
        product_code,
        min(jaar) as eerste_jaar,
        max(jaar) as laatste_jaar
    from tarieven
    group by 1, 2, 3, 4
),

allocated as (
    select
        opvolging.*,
        -- The days of the toewijzing up to the peildatum; frequentie 4 counts the months it
        -- touches, as the 323 check does.
        least(coalesce(opvolging.einddatum, {{ peildatum() }}), {{ peildatum() }})
        - opvolging.ingangsdatum + 1 as dagen_tot_peildatum,
        (
            cast(extract(year from least(
                coalesce(opvolging.einddatum, {{ peildatum() }}), {{ peildatum() }}
            )) as integer) * 12
            + cast(extract(month from least(
                coalesce(opvolging.einddatum, {{ peildatum() }}), {{ peildatum() }}
            )) as integer)
        ) - (
            cast(extract(year from opvolging.ingangsdatum) as integer) * 12
            + cast(extract(month from opvolging.ingangsdatum) as integer)
        ) + 1 as maanden_tot_peildatum
    from opvolging
),

final as (
    select
        allocated.toewijzing_id,
        allocated.standard,
        allocated.gemeente_code,
        allocated.aanbieder_agb,
        allocated.client_pseudonym,
        allocated.toewijzing_nummer,
        allocated.product_categorie,
        allocated.product_code,
        allocated.ingangsdatum,
        allocated.einddatum,
        allocated.volume,
        allocated.eenheid,
        allocated.frequentie,
        allocated.eerste_begindatum,
        allocated.wachttijd_dagen,
        allocated.zorgperiode_count,
        allocated.laatste_einddatum,
        allocated.is_beeindigd,
        allocated.zorgduur_dagen,
        cast(
            case
                when allocated.dagen_tot_peildatum <= 0 then 0
                when allocated.frequentie = '1'
                    then allocated.volume * allocated.dagen_tot_peildatum
                when allocated.frequentie = '2'
                    then allocated.volume * allocated.dagen_tot_peildatum / 7.0
                when allocated.frequentie = '4'
                    then allocated.volume * allocated.maanden_tot_peildatum
                when allocated.frequentie = '6' then allocated.volume
            end as double precision
        ) as toegewezen_volume_tot_peildatum,
        cast(tarieven.tarief_eurocent / 100.0 as decimal(18, 2)) as tarief_eur,
        cast(coalesce(declaraties.gedeclareerd_volume, 0) as bigint) as gedeclareerd_volume,
        cast(coalesce(declaraties.ingediend_eurocent, 0) / 100.0 as decimal(18, 2))
            as gedeclareerd_eur,
        coalesce(declaraties.declaratieregel_count, 0) as declaratieregel_count
    from allocated
    left join declaraties on allocated.toewijzing_id = declaraties.toewijzing_id
    left join tariefjaren
        on
            allocated.gemeente_code = tariefjaren.gemeente_code
            and allocated.standard = tariefjaren.standard
            and allocated.aanbieder_agb = tariefjaren.aanbieder_agb
            and allocated.product_code = tariefjaren.product_code
    -- The tariff of the Ingangsdatum's year, or of the catalogue year nearest to it.
    left join tarieven
        on
            tariefjaren.gemeente_code = tarieven.gemeente_code
            and tariefjaren.standard = tarieven.standard
            and tariefjaren.aanbieder_agb = tarieven.aanbieder_agb
            and tariefjaren.product_code = tarieven.product_code
            and tarieven.jaar = least(
                greatest(
                    cast(extract(year from allocated.ingangsdatum) as integer),
                    tariefjaren.eerste_jaar
                ),
                tariefjaren.laatste_jaar
            )
),

with_amounts as (
    select
        *,
        cast(toegewezen_volume_tot_peildatum * tarief_eur as decimal(18, 2))
            as toegewezen_eur_tot_peildatum,
        cast(gedeclareerd_volume as double precision)
        / nullif(toegewezen_volume_tot_peildatum, 0) as aandeel_volume_gedeclareerd
    from final
)

select * from with_amounts
