{#- What DuckDB and PostgreSQL spell differently and no standard form covers. Everything else
    in the models is SQL both run as written (no QUALIFY, no GROUP BY ALL, no list literals). -#}

{#- The value of `value` on the row with the smallest `ordering` (rows without one ignored). -#}
{% macro arg_min(value, ordering) -%}
    {{ return(adapter.dispatch('arg_min')(value, ordering)) }}
{%- endmacro %}

{% macro default__arg_min(value, ordering) -%}
    arg_min({{ value }}, {{ ordering }})
{%- endmacro %}

{% macro postgres__arg_min(value, ordering) -%}
    (array_agg({{ value }} order by {{ ordering }}) filter (where {{ ordering }} is not null))[1]
{%- endmacro %}

{#- The text of one top-level key of a JSON object held as text (null when absent). -#}
{% macro json_text(column, key) -%}
    {{ return(adapter.dispatch('json_text')(column, key)) }}
{%- endmacro %}

{% macro default__json_text(column, key) -%}
    json_extract_string({{ column }}, '$.{{ key }}')
{%- endmacro %}

{% macro postgres__json_text(column, key) -%}
    (cast({{ column }} as jsonb) ->> '{{ key }}')
{%- endmacro %}

{#- The first parenthesised group of a regular expression's match, null without a match. -#}
{% macro regexp_group(text, pattern) -%}
    {{ return(adapter.dispatch('regexp_group')(text, pattern)) }}
{%- endmacro %}

{% macro default__regexp_group(text, pattern) -%}
    nullif(regexp_extract({{ text }}, '{{ pattern }}', 1), '')
{%- endmacro %}

{% macro postgres__regexp_group(text, pattern) -%}
    substring({{ text }} from '{{ pattern }}')
{%- endmacro %}

{#- The last (first) non-null value of `expression` over a named window: DuckDB's IGNORE NULLS,
    which PostgreSQL lacks. -#}
{% macro last_non_null(expression, window) -%}
    {{ return(adapter.dispatch('last_non_null')(expression, window)) }}
{%- endmacro %}

{% macro default__last_non_null(expression, window) -%}
    last_value({{ expression }} ignore nulls) over {{ window }}
{%- endmacro %}

{% macro postgres__last_non_null(expression, window) -%}
    (array_agg({{ expression }}) filter (where {{ expression }} is not null) over {{ window }})[
        count({{ expression }}) over {{ window }}
    ]
{%- endmacro %}

{% macro first_non_null(expression, window) -%}
    {{ return(adapter.dispatch('first_non_null')(expression, window)) }}
{%- endmacro %}

{% macro default__first_non_null(expression, window) -%}
    first_value({{ expression }} ignore nulls) over {{ window }}
{%- endmacro %}

{% macro postgres__first_non_null(expression, window) -%}
    (array_agg({{ expression }}) filter (where {{ expression }} is not null) over {{ window }})[1]
{%- endmacro %}
