-- One row per started product: the 305 start with its 307 stop, when there is one.
-- start_tot_stop_dagen keeps the sign, so a stop dated before its start stays visible for the
-- quality checks; zorgduur_dagen is only given when the period makes sense. Wachttijd counts
-- from the toewijzing's Ingangsdatum, or the one the 305 repeats when no toewijzing links.
-- Incremental by toewijzing number (macros/incrementeel.sql, zorgperiode_partities.sql).
-- depends_on: {{ ref('stg_istandaarden__ingest_files') }}
-- depends_on: {{ ref('stg_istandaarden__berichten') }}
-- depends_on: {{ ref('stg_istandaarden__start_producten') }}
-- depends_on: {{ ref('stg_istandaarden__stop_producten') }}
-- depends_on: {{ ref('stg_istandaarden__toegewezen_producten') }}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='sync_all_columns',
    pre_hook=["{{ partities_wissen(zorgperiode_partities_gewijzigd(),
                                   zorgperiode_partitie_sleutel()) }}"],
    post_hook=["{{ watermerk_vastleggen() }}"],
) }}

with starts as (
    select * from {{ ref('zorgstarts') }}
    {% if is_incremental() -%}
        where {{ in_gewijzigde_partities(
            'zorgstarts', zorgperiode_partities_gewijzigd(), zorgperiode_partitie_sleutel()
        ) }}
    {%- endif %}
),

stops as (
    select * from {{ ref('zorgstops') }}
),

toewijzingen as (
    select * from {{ ref('toewijzingen') }}
),

kalender as (
    select * from {{ ref('kalender') }}
),

reden_beeindiging as (
    select * from {{ ref('reden_beeindiging') }}
),

final as (
    select
        starts.zorgperiode_id,
        starts.standard,
        starts.release,
        starts.release_family,
        starts.gemeente_code,
        starts.aanbieder_agb,
        starts.client_pseudonym,
        starts.toewijzing_nummer,
        starts.product_categorie,
        starts.product_code,
        starts.toewijzing_ingangsdatum,
        starts.begindatum,
        stops.einddatum,
        stops.reden_beeindiging,
        -- How the care ended, comparable across domains (seed reden_beeindiging).
        reden_beeindiging.afloop,
        starts.start_bericht_identificatie,
        starts.start_dagtekening,
        starts.start_gemeld_datum,
        starts.is_bsn_valid,
        stops.stop_bericht_identificatie,
        toewijzingen.toewijzing_id,
        -- OP271: a start is to be reported within 5 working days of the real start; measured
        -- from the first report and the Begindatum it stated (a correction keeps that date).
        gemeld.werkdag_nummer - begonnen.werkdag_nummer as start_melding_werkdagen,
        -- days as bigint, as DuckDB's date subtraction gives them (PostgreSQL's: integer)
        cast(
            starts.begindatum - coalesce(toewijzingen.ingangsdatum, starts.toewijzing_ingangsdatum)
            as bigint
        ) as wachttijd_dagen,
        cast(stops.einddatum - starts.begindatum as bigint) as start_tot_stop_dagen,
        case
            when stops.einddatum >= starts.begindatum
                then cast(stops.einddatum - starts.begindatum + 1 as bigint)
        end as zorgduur_dagen,
        coalesce(stops.einddatum < starts.begindatum, false) as is_stop_voor_start,
        -- The gemeente issued no toewijzing with this number to this aanbieder. A number it did
        -- issue, but to another client or product, is the invalid_bsn or unknown_product_code
        -- finding instead.
        not {{ toewijzing_uitgegeven('starts') }} as is_zonder_toewijzing,
        -- A start under a number the gemeente never issued is reported too late for nothing:
        -- it is the start_without_toewijzing finding.
        coalesce(
            gemeld.werkdag_nummer - begonnen.werkdag_nummer > {{ var('werkdagen_start_melding') }},
            false
        )
        and {{ toewijzing_uitgegeven('starts') }} as is_start_te_laat_gemeld
    from starts
    left join stops
        on starts.zorgperiode_id = stops.zorgperiode_id
    left join kalender as begonnen
        on starts.start_gemeld_begindatum = begonnen.datum
    left join kalender as gemeld
        on starts.start_gemeld_datum = gemeld.datum
    -- Linked as the standard prescribes: gemeente, aanbieder, client, number and product (in
    -- iWmo 2.x the number is Beschikkingnummer, product, Ingangsdatum and aanbieder).
    left join toewijzingen
        on
            starts.standard = toewijzingen.standard
            and starts.gemeente_code = toewijzingen.gemeente_code
            and starts.toewijzing_sleutel = toewijzingen.toewijzing_sleutel
            and starts.aanbieder_agb = toewijzingen.aanbieder_agb
            and starts.client_pseudonym = toewijzingen.client_pseudonym
            and starts.product_code is not distinct from toewijzingen.product_code
    left join reden_beeindiging
        on
            starts.standard = reden_beeindiging.standard
            and starts.release_family = reden_beeindiging.release_family
            and stops.reden_beeindiging = reden_beeindiging.code
)

select * from final
