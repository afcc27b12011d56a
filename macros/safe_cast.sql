{#- Cast that yields null instead of failing on text the source got wrong; raw keeps the
    original text, so nothing is lost. Adapters differ, hence the dispatch. -#}
{% macro safe_cast(expression, data_type) -%}
    {{ return(adapter.dispatch('safe_cast')(expression, data_type)) }}
{%- endmacro %}

{% macro default__safe_cast(expression, data_type) -%}
    try_cast({{ expression }} as {{ data_type }})
{%- endmacro %}
