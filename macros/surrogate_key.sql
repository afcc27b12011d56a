{#- A stable key from several columns: md5 over their text, nulls made explicit so that
    (null, 'a') and ('', 'a') differ. Works the same on DuckDB and PostgreSQL. -#}
{% macro surrogate_key(columns) -%}
    md5(
        {%- for column in columns %}
        coalesce(cast({{ column }} as varchar), '<null>')
        {%- if not loop.last %} || '|' || {% endif -%}
        {%- endfor %}
    )
{%- endmacro %}
