-- One row per CBS figure that counts: for each table, region, period, dimension categories and
-- measure key the value from the file loaded last (pages of a feed that overlap, a table
-- fetched again), with the measure matched across editions (maat) and the gemeente mapped to
-- the one it lives on in after herindelingen.
with observations as (
    select * from {{ ref('stg_cbs__observations') }}
),

files as (
    select * from {{ ref('stg_cbs__files') }}
    where status = 'loaded'
),

tabellen as (
    select * from {{ ref('cbs_tabellen') }}
),

maten as (
    select * from {{ ref('cbs_maten') }}
),

herindelingen as (
    select * from {{ ref('herindelingen') }}
),

measures as (
    select *
    from (
        -- The title and unit CBS gave a table's measure key most recently.
        select
            measures.measure_key,
            measures.title,
            measures.unit,
            measures.decimals,
            upper(measures.table_id) as table_id,
            row_number() over (
                partition by upper(measures.table_id), measures.measure_key
                order by files.loaded_at desc, files.file_id desc
            ) as rang
        from {{ ref('stg_cbs__measures') }} as measures
        inner join files on measures.file_id = files.file_id
    ) as gerangschikt
    where rang = 1
),

latest as (
    select *
    from (
        select
            observations.*,
            files.edition,
            files.loaded_at,
            upper(files.table_id) as table_id,
            row_number() over (
                partition by
                    upper(files.table_id),
                    observations.region_code,
                    observations.periode_code,
                    observations.dimensions,
                    observations.measure_key
                order by files.loaded_at desc, files.file_id desc, observations.row_seq desc
            ) as rang
        from observations
        inner join files on observations.file_id = files.file_id
    ) as gerangschikt
    where rang = 1
),

final as (
    select
        {{ surrogate_key([
            'latest.table_id', 'latest.region_code', 'latest.periode_code',
            'latest.dimensions', 'latest.measure_key'
        ]) }} as cbs_cijfer_id,
        latest.table_id,
        tabellen.reeks,
        tabellen.editie_jaar,
        latest.edition as editie,
        latest.region_code,
        latest.region_name,
        latest.niveau,
        latest.gemeente_code,
        coalesce(herindelingen.opvolger_code, latest.gemeente_code) as huidige_gemeente_code,
        latest.periode_code,
        latest.periode_type,
        latest.periode_start,
        latest.periode_eind,
        latest.dimensions,
        latest.measure_key,
        latest.measure_stable_key,
        measures.title as measure_title,
        measures.unit as measure_unit,
        coalesce(by_key.maat, by_title.maat) as maat,
        latest.value,
        -- CBS rounds what it publishes: the figure stands for value plus or minus this
        0.5 * power(10, -coalesce(measures.decimals, by_key.decimalen, by_title.decimalen))
            as afronding,
        latest.value_text,
        latest.missing_reason,
        latest.file_id,
        latest.loaded_at
    from latest
    left join tabellen on latest.table_id = tabellen.table_id
    left join measures
        on
            latest.table_id = measures.table_id
            and latest.measure_key = measures.measure_key
    left join maten as by_key on latest.measure_stable_key = by_key.stable_key
    left join maten as by_title on lower(measures.title) = lower(by_title.titel)
    left join herindelingen on latest.gemeente_code = herindelingen.gemeente_code
)

select * from final
