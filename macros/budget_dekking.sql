{#- What a budget or inkoop file covers, and which file counts for it.

    Every line of either layout names a gemeente, year, standard and segment; a file covers the
    combinations its lines name, and for each of them the lines of the file loaded last count.
    A corrected file therefore replaces what it covers and nothing else: a Wmo file leaves the
    Jeugd lines of an earlier file alone, a file for one segment the other segments. To drop a
    segment, send a file for it with a plafond of 0. -#}
{% macro budget_dekking() -%}
    {{ return(['gemeente_code', 'jaar', 'standard', 'segment']) }}
{%- endmacro %}

{#- What an aanbieder register covers: per gemeente, the AGB codes it names. A corrected
    register replaces the names it gives; an aanbieder it leaves out keeps its earlier name. -#}
{% macro register_dekking() -%}
    {{ return(['gemeente_code', 'aanbieder_agb']) }}
{%- endmacro %}

{#- What a file's omzetplafonds cover: per gemeente, year and standard, the aanbieders it names.
    A corrected file replaces those aanbieders' plafonds of that year and leaves the others. -#}
{% macro omzetplafond_dekking() -%}
    {{ return(['gemeente_code', 'jaar', 'standard', 'aanbieder_agb']) }}
{%- endmacro %}

{#- The lines of `records` (stg_budget__plafonds, stg_budget__inkoop or, with
    register_dekking(), stg_budget__aanbieders) that count. -#}
{% macro huidige_budgetregels(records, files, dekking=none) -%}
    {%- set dekking = dekking or budget_dekking() %}
    select *
    from (
        select
            records.*,
            files.loaded_at,
            dense_rank() over (
                partition by
                    {%- for column in dekking %}
                        records.{{ column }}{% if not loop.last %},{% endif %}
                    {%- endfor %}
                order by files.loaded_at desc, records.file_id desc
            ) as versie
        from {{ records }} as records
        inner join {{ files }} as files on records.file_id = files.file_id
        where files.status = 'loaded'
    ) as versies
    where versie = 1
{%- endmacro %}
