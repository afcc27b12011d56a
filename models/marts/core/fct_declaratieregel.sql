-- One row per declaratieregel that stands after netting: a 323 debit line no credit line has
-- cancelled (cleaned `declaratieregels` nets them), linked to its toewijzing. Incremental like
-- declaratieregels, by client within aanbieder (macros/incrementeel.sql).
-- depends_on: {{ ref('stg_istandaarden__ingest_files') }}
-- depends_on: {{ ref('stg_istandaarden__berichten') }}
-- depends_on: {{ ref('stg_istandaarden__clienten') }}
-- depends_on: {{ ref('stg_istandaarden__prestaties') }}
-- depends_on: {{ ref('stg_istandaarden__toegewezen_producten') }}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='append_new_columns',
    pre_hook=["{{ partities_wissen(declaratieregel_partities_gewijzigd(),
                                   declaratieregel_partitie_sleutel()) }}"],
    post_hook=["{{ watermerk_vastleggen() }}"],
) }}

with declaratieregels as (
    select * from {{ ref('declaratieregels') }}
    {% if is_incremental() -%}
        where {{ in_gewijzigde_partities(
            'declaratieregels',
            declaratieregel_partities_gewijzigd(),
            declaratieregel_partitie_sleutel()
        ) }}
    {%- endif %}
),

final as (
    select
        declaratieregel_id,
        standard,
        gemeente_code,
        aanbieder_agb,
        client_pseudonym,
        declaratie_nummer,
        referentie_nummer,
        bericht_identificatie,
        dagtekening,
        toewijzing_id,
        toewijzing_nummer,
        {{ surrogate_key(['standard', 'product_categorie', 'product_code']) }} as product_id,
        product_categorie,
        product_code,
        begindatum,
        einddatum,
        geleverd_volume,
        eenheid,
        product_tarief_eurocent,
        ingediend_eurocent,
        cast(ingediend_eurocent / 100.0 as decimal(18, 2)) as ingediend_bedrag,
        toewijzing_id is not null as heeft_toewijzing
    from declaratieregels
)

select * from final
