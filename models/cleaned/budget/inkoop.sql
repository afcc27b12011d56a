-- One row per contracted product, aanbieder and year that counts: of each gemeente, year,
-- standard and segment the lines of the inkoop file loaded last for it
-- (macros/budget_dekking.sql).
with inkoop as (
    {{ huidige_budgetregels(ref('stg_budget__inkoop'), ref('stg_budget__files')) }}
),

final as (
    select
        file_id,
        row_seq,
        loaded_at,
        gemeente_code,
        jaar,
        standard,
        segment,
        product_categorie,
        product_code,
        eenheid,
        aanbieder_agb,
        tarief_eurocent,
        product_naam,
        perceel
    from inkoop
)

select * from final
