{#- Incremental models that recompute whole partitions.

    A new message can correct or delete what older ones said (a credit cancels a debit, a newer
    301 version changes the toewijzing a line links to, a retransmission may become the copy that
    counts), so appending the new rows is not enough. Instead each incremental model names a
    partition key (e.g. client within aanbieder) such that every row depends only on the messages
    of its own partition, or of partitions the model's `gewijzigd` query can find from the new
    messages. A run then
      1. reads its watermark: the latest raw.ingest_files.loaded_at its last successful run saw
         (table `cleaned.incrementele_runs`), if that run had the same model code; none means
         every file is new, so changed code recomputes every partition;
      2. deletes the partitions the files loaded since then touch (pre-hook, `partities_wissen`);
      3. inserts those partitions recomputed from all messages (the model's body, filtered with
         `in_gewijzigde_partities`);
      4. records the new watermark (post-hook, `watermerk_vastleggen`).
    All four happen in the model's transaction, so a failed run changes nothing and the next run
    starts from the same watermark. A full refresh builds every partition and records the
    watermark. The code compared is the model's own file: after changing a partition macro,
    build the models that use it with --full-refresh. Plain SQL that DuckDB and PostgreSQL both
    run. -#}

{#- One log for every incremental model, in the cleaned schema (not among the marts BI reads),
    made by the on-run-start hook so that models running side by side only write rows to it. -#}
{% macro incrementele_runs() -%}
    {{ return(api.Relation.create(
        database=target.database,
        schema=generate_schema_name('cleaned', none),
        identifier='incrementele_runs'
    )) }}
{%- endmacro %}

{#- What the model's code was when the watermark was recorded. -#}
{% macro model_code_md5() -%}
    {{ return(local_md5(model.raw_code)) }}
{%- endmacro %}

{#- The latest loaded_at the model's last run with this code saw; before any load when unknown. -#}
{% macro watermerk() -%}
    coalesce(
        (
            select max(runs.geladen_tot)
            from {{ incrementele_runs() }} as runs
            where
                runs.model_naam = '{{ this.schema }}.{{ this.identifier }}'
                and runs.code_md5 = '{{ model_code_md5() }}'
        ),
        cast('1900-01-01' as timestamp)
    )
{%- endmacro %}

{% macro incrementele_runs_aanmaken() -%}
    create schema if not exists {{ generate_schema_name('cleaned', none) }};
    create table if not exists {{ incrementele_runs() }} (
        model_naam varchar(200),
        geladen_tot timestamp,
        code_md5 varchar(32)
    );
    {#- the first version of the log had no code_md5 -#}
    alter table {{ incrementele_runs() }} add column if not exists code_md5 varchar(32);
{%- endmacro %}

{#- Files loaded since the watermark: their file_ids. -#}
{% macro nieuwe_bestanden() -%}
    select ingest_files.file_id
    from {{ ref('stg_istandaarden__ingest_files') }} as ingest_files
    where
        ingest_files.status = 'loaded'
        and ingest_files.loaded_at > {{ watermerk() }}
{%- endmacro %}

{#- `exists` on the partition key: `alias`'s row lies in a partition `gewijzigd` lists.
    Null-safe, so a partition with an empty key column is still found. -#}
{% macro in_gewijzigde_partities(alias, gewijzigd, key_columns) -%}
    exists (
        select 1
        from ({{ gewijzigd }}) as gewijzigd
        where
            {% for column in key_columns -%}
                gewijzigd.{{ column }} is not distinct from {{ alias }}.{{ column }}
                {%- if not loop.last %} and {% endif %}
            {% endfor %}
    )
{%- endmacro %}

{#- Pre-hook: on an incremental run, delete the partitions the new files touch (the body inserts
    them again). -#}
{% macro partities_wissen(gewijzigd, key_columns) -%}
    {% if is_incremental() -%}
        delete from {{ this }} as bestaand
        where {{ in_gewijzigde_partities('bestaand', gewijzigd, key_columns) }};
    {%- endif %}
{%- endmacro %}

{#- Post-hook: the run saw every file loaded until now. -#}
{% macro watermerk_vastleggen() -%}
    delete from {{ incrementele_runs() }}
    where model_naam = '{{ this.schema }}.{{ this.identifier }}';
    insert into {{ incrementele_runs() }} (model_naam, geladen_tot, code_md5)
    select
        '{{ this.schema }}.{{ this.identifier }}',
        coalesce(max(loaded_at), cast('1900-01-01' as timestamp)),
        '{{ model_code_md5() }}'
    from {{ ref('stg_istandaarden__ingest_files') }};
{%- endmacro %}
