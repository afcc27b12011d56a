{#- The partitions of zorgperioden (toewijzing number within gemeente; iWmo 2.x, without a
    number, is one partition per gemeente) that messages loaded since the model's watermark can
    change (see incrementeel.sql): a start, its stop, its deletion or correction, and the
    toewijzing it links to (whichever aanbieder its current version names) all carry the same
    number, and every rule that reaches across clients (a start under a mistyped BSN) stays
    within it. -#}
{% macro zorgperiode_partitie_sleutel() -%}
    {{ return(['standard', 'gemeente_code', 'toewijzing_nummer']) }}
{%- endmacro %}

{% macro zorgperiode_partities_gewijzigd() -%}
    select distinct
        koppen.standard,
        koppen.gemeente_code,
        records.toewijzing_nummer
    from (
        select
            file_id,
            toewijzing_nummer
        from {{ ref('stg_istandaarden__start_producten') }}
        union all
        select
            file_id,
            toewijzing_nummer
        from {{ ref('stg_istandaarden__stop_producten') }}
        union all
        select
            file_id,
            toewijzing_nummer
        from {{ ref('stg_istandaarden__toegewezen_producten') }}
    ) as records
    inner join ({{ nieuwe_bestanden() }}) as nieuw
        on records.file_id = nieuw.file_id
    inner join {{ ref('stg_istandaarden__berichten') }} as koppen
        on records.file_id = koppen.file_id
{%- endmacro %}
