-- One row per omzetplafond that counts: the year's ceiling on what one aanbieder may declare,
-- for the whole standard (segment empty) or for one inkoop segment. Of each gemeente, year,
-- standard and aanbieder the lines of the budget file loaded last that names its plafonds
-- (macros/budget_dekking.sql, omzetplafond_dekking): a corrected file replaces an aanbieder's
-- plafonds of that year and leaves the others.
with omzetplafonds as (
    {{ huidige_budgetregels(
        "(select * from " ~ ref('stg_budget__plafonds') ~ " where aanbieder_agb is not null)",
        ref('stg_budget__files'),
        omzetplafond_dekking()
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
        aanbieder_agb,
        segment,
        plafond_eur,
        case when segment is null then 'aanbieder' else 'aanbieder_segment' end
            as plafond_niveau
    from omzetplafonds
)

select * from final
