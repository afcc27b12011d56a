-- One row per gemeente and aanbieder in its register: of each gemeente and AGB code the line of
-- the register loaded last that names it (macros/budget_dekking.sql, register_dekking).
with register as (
    {{ huidige_budgetregels(
        ref('stg_budget__aanbieders'), ref('stg_budget__files'), register_dekking()
    ) }}
),

final as (
    select
        file_id,
        row_seq,
        loaded_at,
        gemeente_code,
        aanbieder_agb,
        aanbieder_naam,
        kvk_nummer,
        aanbieder_soort
    from register
)

select * from final
