{#- Role sdw_bi_reader, for BI tools: reads the marts schema and nothing else. Run after every
    dbt invocation (on-run-end), so a rebuilt table is readable again and a grant made by hand
    elsewhere is taken back. The role logs in; its password is SDW_PG_BI_PASSWORD when set
    (without one it can log in only where pg_hba.conf trusts it). DuckDB has no roles. -#}
{% macro grant_bi_reader() -%}
    {{ return(adapter.dispatch('grant_bi_reader')()) }}
{%- endmacro %}

{% macro default__grant_bi_reader() -%}
{%- endmacro %}

{% macro postgres__grant_bi_reader() -%}
    {%- set role = 'sdw_bi_reader' -%}
    {%- set password = env_var('SDW_PG_BI_PASSWORD', '') -%}
    do $$
    begin
        if not exists (select from pg_roles where rolname = '{{ role }}') then
            create role {{ role }} login;
        end if;
    end $$;
    {%- if password %}
    alter role {{ role }} login password '{{ password | replace("'", "''") }}';
    {%- endif %}
    grant connect on database {{ target.dbname }} to {{ role }};
    {%- for schema in ['raw', 'staging', 'cleaned'] %}
    create schema if not exists {{ schema }};
    revoke all on schema {{ schema }} from {{ role }};
    revoke all on all tables in schema {{ schema }} from {{ role }};
    alter default privileges in schema {{ schema }} revoke all on tables from {{ role }};
    {%- endfor %}
    revoke create on schema public from {{ role }};
    create schema if not exists marts;
    revoke create on schema marts from {{ role }};
    grant usage on schema marts to {{ role }};
    grant select on all tables in schema marts to {{ role }};
    alter default privileges in schema marts grant select on tables to {{ role }}
{%- endmacro %}
