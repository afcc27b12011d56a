-- One row per AGB code some gemeente registers: the name (KvK number, kind) of the register
-- loaded last that names it. An AGB code is national, so one name serves every gemeente; where
-- two gemeenten loaded theirs at once, the lowest gemeente code decides.
with register as (
    select * from {{ ref('aanbieder_register') }}
),

ranked as (
    select
        aanbieder_agb,
        aanbieder_naam,
        kvk_nummer,
        aanbieder_soort,
        row_number() over (
            partition by aanbieder_agb
            order by loaded_at desc, gemeente_code asc, file_id desc
        ) as rang
    from register
),

final as (
    select
        aanbieder_agb,
        aanbieder_naam,
        kvk_nummer,
        aanbieder_soort
    from ranked
    where rang = 1
)

select * from final
