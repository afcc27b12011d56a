-- Incremental like cleaned.zorgperioden, by toewijzing number (macros/incrementeel.sql).
-- depends_on: {{ ref('stg_istandaarden__ingest_files') }}
-- depends_on: {{ ref('stg_istandaarden__berichten') }}
-- depends_on: {{ ref('stg_istandaarden__start_producten') }}
-- depends_on: {{ ref('stg_istandaarden__stop_producten') }}
-- depends_on: {{ ref('stg_istandaarden__toegewezen_producten') }}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='append_new_columns',
    pre_hook=["{{ partities_wissen(zorgperiode_partities_gewijzigd(),
                                   zorgperiode_partitie_sleutel()) }}"],
    post_hook=["{{ watermerk_vastleggen() }}"],
) }}

with zorgperioden as (
    select * from {{ ref('zorgperioden') }}
    {% if is_incremental() -%}
        where {{ in_gewijzigde_partities(
            'zorgperioden', zorgperiode_partities_gewijzigd(), zorgperiode_partitie_sleutel()
        ) }}
    {%- endif %}
),

reden_beeindiging as (
    select * from {{ ref('reden_beeindiging') }}
),

final as (
    select
        zorgperioden.zorgperiode_id,
        zorgperioden.standard,
        zorgperioden.gemeente_code,
        zorgperioden.aanbieder_agb,
        zorgperioden.client_pseudonym,
        zorgperioden.toewijzing_nummer,
        {{ surrogate_key([
            'zorgperioden.standard', 'zorgperioden.product_categorie', 'zorgperioden.product_code'
        ]) }} as product_id,
        zorgperioden.product_categorie,
        zorgperioden.product_code,
        zorgperioden.begindatum,
        zorgperioden.einddatum,
        zorgperioden.reden_beeindiging,
        reden_beeindiging.omschrijving as reden_beeindiging_omschrijving,
        zorgperioden.afloop,
        zorgperioden.wachttijd_dagen,
        zorgperioden.zorgduur_dagen,
        zorgperioden.is_stop_voor_start,
        zorgperioden.toewijzing_id is not null as heeft_toewijzing
    from zorgperioden
    left join reden_beeindiging
        on
            zorgperioden.standard = reden_beeindiging.standard
            and zorgperioden.release_family = reden_beeindiging.release_family
            and zorgperioden.reden_beeindiging = reden_beeindiging.code
)

select * from final
