-- One row per outcome report that counts: of each gemeente, aanbieder and year of einddatum the
-- reports of the uitkomsten file loaded last for it (a corrected file replaces what it covers),
-- linked to the ended zorgperiode it is about (same gemeente, aanbieder, toewijzingnummer and
-- einddatum; a stop dated before its start is no ended care). A report that links to none is
-- kept, unlinked, so it can be followed up.
with files as (
    select * from {{ ref('stg_doelen__files') }}
    where status = 'loaded'
),

meldingen as (
    select
        meldingen.*,
        files.loaded_at,
        cast(extract(year from meldingen.einddatum) as integer) as jaar
    from {{ ref('stg_doelen__uitkomsten') }} as meldingen
    inner join files on meldingen.file_id = files.file_id
),

versies as (
    select
        *,
        dense_rank() over (
            partition by gemeente_code, aanbieder_agb, jaar
            order by loaded_at desc, file_id desc
        ) as versie
    from meldingen
),

beeindigd as (
    select * from {{ ref('zorgperioden') }}
    where einddatum >= begindatum
),

final as (
    select
        versies.file_id,
        versies.line_number,
        versies.loaded_at,
        versies.gemeente_code,
        versies.aanbieder_agb,
        versies.toewijzing_nummer,
        versies.einddatum,
        versies.jaar,
        versies.doelrealisatie,
        versies.tevredenheid,
        beeindigd.zorgperiode_id,
        beeindigd.standard,
        beeindigd.product_categorie,
        beeindigd.zorgperiode_id is not null as is_gekoppeld
    from versies
    left join beeindigd
        on
            versies.gemeente_code = beeindigd.gemeente_code
            and versies.aanbieder_agb = beeindigd.aanbieder_agb
            and versies.toewijzing_nummer = beeindigd.toewijzing_nummer
            and versies.einddatum = beeindigd.einddatum
    where versies.versie = 1
)

select * from final
