{#- One row per day from start to end (inclusive), column `datum`. generate_series is a table
    function on DuckDB and PostgreSQL alike;
    its column is named by the alias, as both need. -#}
{% macro date_spine(start_date, end_date) -%}
    select cast(series.datum as date) as datum
    from generate_series(
        cast('{{ start_date }}' as timestamp),
        cast('{{ end_date }}' as timestamp),
        interval '1 day'
    ) as series (datum)
{%- endmacro %}
