{#- Continuous percentile of an aggregate; DuckDB and PostgreSQL spell it differently. Both
    interpolate in double precision (PostgreSQL's percentile_cont knows no other number type),
    so a median of decimal amounts is the same number on either. -#}
{% macro percentile(expression, fraction) -%}
    {{ return(adapter.dispatch('percentile')(expression, fraction)) }}
{%- endmacro %}

{% macro default__percentile(expression, fraction) -%}
    quantile_cont(cast({{ expression }} as double precision), {{ fraction }})
{%- endmacro %}

{% macro postgres__percentile(expression, fraction) -%}
    percentile_cont({{ fraction }}) within group (order by {{ expression }})
{%- endmacro %}
