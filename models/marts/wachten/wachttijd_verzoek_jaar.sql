-- One row per gemeente, standard, aanbieder, productcategorie and year (of the 315's
-- Dagtekening): for the toewijzingen that answer a 315 verzoek om toewijzing, the days from the
-- verzoek to the toewijzing and to the start, next to the wachttijd from the Ingangsdatum. Where
-- the toegang set the Ingangsdatum later than the verzoek asked (to match the wait), the
-- wachttijd from the Ingangsdatum is short while the days from the verzoek are not.
with toewijzingen as (
    select * from {{ ref('toewijzingen') }}
),

versies as (
    select * from {{ ref('toewijzing_versies') }}
),

verzoeken as (
    select * from {{ ref('verzoeken') }}
    where message_type = '315'
),

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

-- The 315 a toewijzing answers (a version repeats its ReferentieAanbieder), and the day the
-- toewijzing was first granted.
verwezen as (
    select
        versies.toewijzing_id,
        min(verzoeken.dagtekening) as verzoek_datum,
        min(verzoeken.gewenste_ingangsdatum) as gewenste_ingangsdatum
    from versies
    inner join verzoeken
        on
            versies.standard = verzoeken.standard
            and versies.gemeente_code = verzoeken.gemeente_code
            and versies.aanbieder_agb = verzoeken.aanbieder_agb
            and versies.referentie_aanbieder = verzoeken.referentie_aanbieder
    group by 1
),

eerste_versie as (
    select
        toewijzing_id,
        min(toewijzingsdatum) as eerste_toewijzingsdatum
    from versies
    group by 1
),

per_toewijzing as (
    select
        toewijzingen.gemeente_code,
        toewijzingen.standard,
        toewijzingen.aanbieder_agb,
        toewijzingen.product_categorie,
        cast(extract(year from verwezen.verzoek_datum) as integer) as jaar,
        toewijzingen.ingangsdatum > verwezen.gewenste_ingangsdatum as is_later_dan_gevraagd,
        cast(eerste_versie.eerste_toewijzingsdatum - verwezen.verzoek_datum as integer)
            as dagen_tot_toewijzing,
        case
            when starts.eerste_begindatum <= {{ peildatum() }}
                then cast(starts.eerste_begindatum - verwezen.verzoek_datum as integer)
        end as dagen_tot_start,
        case
            when starts.eerste_begindatum <= {{ peildatum() }}
                then cast(starts.eerste_begindatum - toewijzingen.ingangsdatum as integer)
        end as wachttijd_dagen
    from toewijzingen
    inner join verwezen on toewijzingen.toewijzing_id = verwezen.toewijzing_id
    inner join eerste_versie on toewijzingen.toewijzing_id = eerste_versie.toewijzing_id
    left join starts
        on
            toewijzingen.standard = starts.standard
            and toewijzingen.gemeente_code = starts.gemeente_code
            and toewijzingen.aanbieder_agb = starts.aanbieder_agb
            and toewijzingen.toewijzing_nummer = starts.toewijzing_nummer
),

final as (
    select
        gemeente_code,
        standard,
        aanbieder_agb,
        product_categorie,
        jaar,
        count(*) as toewijzingen_met_verzoek,
        count(*) filter (where is_later_dan_gevraagd) as ingangsdatum_later_dan_gevraagd,
        count(dagen_tot_start) as gestart,
        {{ percentile('dagen_tot_toewijzing', 0.5) }} as dagen_verzoek_tot_toewijzing_mediaan,
        {{ percentile('dagen_tot_start', 0.5) }} as dagen_verzoek_tot_start_mediaan,
        {{ percentile('dagen_tot_start', 0.8) }} as dagen_verzoek_tot_start_p80,
        {{ percentile('wachttijd_dagen', 0.5) }} as wachttijd_mediaan,
        {{ percentile('wachttijd_dagen', 0.8) }} as wachttijd_p80
    from per_toewijzing
    group by 1, 2, 3, 4, 5
)

select * from final
