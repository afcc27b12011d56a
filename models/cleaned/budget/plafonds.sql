-- One row per budget plafond that counts: of each gemeente, year, standard and segment the
-- lines of the budget file loaded last for it (macros/budget_dekking.sql), so a corrected file
-- replaces what it covers and leaves the rest. An aanbieder's omzetplafond is not a budget line
-- (cleaned.omzetplafonds).
with plafonds as (
    {{ huidige_budgetregels(
        "(select * from " ~ ref('stg_budget__plafonds') ~ " where aanbieder_agb is null)",
        ref('stg_budget__files')
    ) }}
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
        plafond_eur,
        case when product_categorie is null then 'segment' else 'productcategorie' end
            as budget_niveau,
        coalesce(product_categorie, segment) as budget_key
    from plafonds
)

select * from final
