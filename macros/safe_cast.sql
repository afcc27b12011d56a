{#- Cast that yields null instead of failing on text the source got wrong; raw keeps the
    original text, so nothing is lost. Adapters differ, hence the dispatch. -#}
{% macro safe_cast(expression, data_type) -%}
    {{ return(adapter.dispatch('safe_cast')(expression, data_type)) }}
{%- endmacro %}

{% macro default__safe_cast(expression, data_type) -%}
    try_cast({{ expression }} as {{ data_type }})
{%- endmacro %}

{#- PostgreSQL has no try_cast: one small function per type (safe_cast_functions, created by
    the on-run-start hook) casts and returns null where the cast fails. Other types (text) are
    a plain cast, as dbt's own safe_cast, which this one replaces, does. -#}
{% macro postgres__safe_cast(expression, data_type) -%}
    {%- set aliases = {'decimal': 'numeric', 'double': 'double precision', 'int': 'integer',
                       'int4': 'integer', 'int8': 'bigint', 'float8': 'double precision'} -%}
    {%- set base = data_type | lower | trim -%}
    {%- set base = (base.split('(')[0] | trim) -%}
    {%- set base = aliases.get(base, base) -%}
    {%- if base not in safe_cast_types() -%}
        {#- Text types cannot fail; dbt's unit-test fixtures also call safe_cast with them. -#}
        {{ return("cast(" ~ expression ~ " as " ~ data_type ~ ")") }}
    {%- endif -%}
    {%- set call = "staging.try_cast_" ~ base | replace(' ', '_') ~ "(cast(" ~ expression
        ~ " as text))" -%}
    {%- if '(' in data_type -%}
        cast({{ call }} as {{ data_type }})
    {%- else -%}
        {{ call }}
    {%- endif -%}
{%- endmacro %}

{% macro safe_cast_types() -%}
    {{ return(['bigint', 'integer', 'double precision', 'numeric', 'date', 'time', 'timestamp',
               'boolean']) }}
{%- endmacro %}

{#- The functions postgres__safe_cast calls, in the staging schema whose views use them. -#}
{% macro safe_cast_functions() -%}
    {{ return(adapter.dispatch('safe_cast_functions')()) }}
{%- endmacro %}

{% macro default__safe_cast_functions() -%}
{%- endmacro %}

{% macro postgres__safe_cast_functions() -%}
    create schema if not exists staging;
    {#- PostgreSQL reads dates DuckDB refuses ('100201' is 2010-02-01 to it): ISO text only. -#}
    {%- set iso_day = '^\\s*\\d{4}-\\d{1,2}-\\d{1,2}([ T]\\d{1,2}:\\d{2}(:\\d{2}(\\.\\d+)?)?)?\\s*$' -%}
    {%- set iso = {'date': iso_day, 'timestamp': iso_day} -%}
    {#- parallel unsafe: the exception block is a subtransaction, which a parallel query
        cannot start ("cannot start subtransactions during a parallel operation"). -#}
    {%- for data_type in safe_cast_types() %}
    create or replace function staging.try_cast_{{ data_type | replace(' ', '_') }}(value text)
    returns {{ data_type }} language plpgsql immutable parallel unsafe as $$
    begin
        {%- if data_type in iso %}
        if value !~ '{{ iso[data_type] }}' then
            return null;
        end if;
        {%- endif %}
        return cast(value as {{ data_type }});
    exception when others then
        return null;
    end $$;
    {%- endfor %}
{%- endmacro %}
