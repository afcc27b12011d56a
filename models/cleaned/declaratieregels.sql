-- One row per prestatie (323) that stands: a debit line no credit line has cancelled. A credit
-- (DebetCredit C) cancels the debit its VorigReferentieNummer names, and both drop out; the
-- corrected debit that follows stands on its own. Each line is linked to its toewijzing as the
-- standard prescribes (gemeente, aanbieder, client, toewijzing number and product), and carries
-- the set-based facts the quality checks read: hours a day, volume against the allocation,
-- period against the toewijzing's.
-- Incremental by client within aanbieder (macros/incrementeel.sql): a run recomputes the clients
-- whose lines the newly loaded messages can change (macros/declaratieregel_partities.sql).
-- depends_on: {{ ref('stg_istandaarden__ingest_files') }}
-- depends_on: {{ ref('stg_istandaarden__berichten') }}
-- depends_on: {{ ref('stg_istandaarden__toegewezen_producten') }}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='sync_all_columns',
    pre_hook=["{{ partities_wissen(declaratieregel_partities_gewijzigd(),
                                   declaratieregel_partitie_sleutel()) }}"],
    post_hook=["{{ watermerk_vastleggen() }}"],
) }}

with prestaties as (
    {{ message_records(ref('stg_istandaarden__prestaties')) }}
),

-- The lines to (re)compute: every line, or on an incremental run the changed partitions'.
te_berekenen as (
    select * from prestaties
    {% if is_incremental() -%}
        where {{ in_gewijzigde_partities(
            'prestaties', declaratieregel_partities_gewijzigd(), declaratieregel_partitie_sleutel()
        ) }}
    {%- endif %}
),

declaraties as (
    select
        file_id,
        declaratie_nummer
    from {{ ref('stg_istandaarden__declaraties') }}
),

toewijzingen as (
    select * from {{ ref('toewijzingen') }}
),

eenheden as (
    select * from {{ ref('eenheid') }}
),

credits as (
    select distinct
        standard,
        gemeente_code,
        aanbieder_agb,
        vorig_referentie_nummer
    from prestaties
    where ingediend_debet_credit = 'C' and vorig_referentie_nummer is not null
),

debits as (
    select te_berekenen.*
    from te_berekenen
    left join credits
        on
            te_berekenen.standard = credits.standard
            and te_berekenen.gemeente_code = credits.gemeente_code
            and te_berekenen.aanbieder_agb = credits.aanbieder_agb
            and te_berekenen.referentie_nummer = credits.vorig_referentie_nummer
    where
        coalesce(te_berekenen.ingediend_debet_credit, 'D') = 'D'
        and credits.vorig_referentie_nummer is null
),

linked as (
    select
        -- The record itself: a ReferentieNummer is meant to be unique, but that is the
        -- sender's promise, not the key's.
        {{ surrogate_key(['debits.file_id', 'debits.client_seq', 'debits.product_seq']) }}
            as declaratieregel_id,
        debits.standard,
        debits.release_family,
        debits.gemeente_code,
        debits.aanbieder_agb,
        debits.client_pseudonym,
        debits.is_bsn_valid,
        debits.bericht_identificatie,
        debits.dagtekening,
        declaraties.declaratie_nummer,
        debits.referentie_nummer,
        debits.toewijzing_nummer,
        debits.product_categorie,
        debits.product_code,
        debits.product_begindatum as begindatum,
        debits.product_einddatum as einddatum,
        debits.geleverd_volume,
        debits.eenheid,
        debits.product_tarief_eurocent,
        debits.ingediend_eurocent,
        toewijzingen.toewijzing_id,
        toewijzingen.ingangsdatum as toewijzing_ingangsdatum,
        toewijzingen.einddatum as toewijzing_einddatum,
        toewijzingen.volume as toegewezen_volume,
        toewijzingen.eenheid as toegewezen_eenheid,
        toewijzingen.frequentie,
        debits.product_einddatum - debits.product_begindatum + 1 as dagen,
        -- Months the ProductPeriode touches, for a volume allocated per maand.
        cast(
            (
                extract(year from debits.product_einddatum)
                - extract(year from debits.product_begindatum)
            )
            * 12
            + extract(month from debits.product_einddatum)
            - extract(month from debits.product_begindatum)
            + 1 as bigint
        ) as maanden,
        debits.geleverd_volume * eenheden.minuten_per_eenheid as minuten
    from debits
    inner join declaraties
        on debits.file_id = declaraties.file_id
    left join eenheden
        on debits.eenheid = eenheden.code
    left join toewijzingen
        on
            debits.standard = toewijzingen.standard
            and debits.gemeente_code = toewijzingen.gemeente_code
            and debits.aanbieder_agb = toewijzingen.aanbieder_agb
            and debits.client_pseudonym = toewijzingen.client_pseudonym
            and debits.toewijzing_nummer = toewijzingen.toewijzing_nummer
            and debits.product_code is not distinct from toewijzingen.product_code
),

allocated as (
    select
        *,
        -- What the toewijzing allows for this ProductPeriode; frequentie 6 is a total over the
        -- toewijzing, compared as a running sum below.
        case frequentie
            when '1' then toegewezen_volume * dagen
            when '2' then toegewezen_volume * dagen / 7.0
            when '4' then toegewezen_volume * maanden
        end as toegestaan_volume,
        case
            when frequentie = '6' then sum(geleverd_volume) over (
                partition by toewijzing_id
                order by begindatum, declaratie_nummer, referentie_nummer
                rows between unbounded preceding and current row
            )
        end as gedeclareerd_totaal
    from linked
),

flagged as (
    select
        *,
        coalesce(minuten > dagen * 1440, false) as is_meer_dan_24_uur,
        coalesce(
            begindatum < toewijzing_ingangsdatum or einddatum > toewijzing_einddatum, false
        ) as is_buiten_toewijzing,
        -- More than 24 hours a day is its own finding; it is not counted again here.
        coalesce(minuten > dagen * 1440, false) = false
        and coalesce(
            eenheid = toegewezen_eenheid
            and (
                geleverd_volume > toegestaan_volume
                or gedeclareerd_totaal > toegewezen_volume
            ),
            false
        ) as is_boven_toegewezen_volume
    from allocated
),

final as (
    select
        flagged.*,
        -- No toewijzing with this number for this aanbieder at all; another client (invalid
        -- BSN) or product (unknown code) under an issued number are findings of their own.
        not {{ toewijzing_uitgegeven(
            'flagged', 'cast(flagged.toewijzing_nummer as varchar)'
        ) }} as is_zonder_toewijzing
    from flagged
)

select * from final
