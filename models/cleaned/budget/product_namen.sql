-- One row per product the inkoop catalogue names: its name in the latest year a catalogue line
-- that counts names it (the file loaded last first; between lines of one file, the lowest
-- gemeente code and line).
with inkoop as (
    select * from {{ ref('inkoop') }}
    where product_naam is not null
),

ranked as (
    select
        standard,
        product_categorie,
        product_code,
        product_naam,
        row_number() over (
            partition by standard, product_categorie, product_code
            order by jaar desc, loaded_at desc, gemeente_code asc, row_seq asc
        ) as rang
    from inkoop
),

final as (
    select
        standard,
        product_categorie,
        product_code,
        product_naam
    from ranked
    where rang = 1
)

select * from final
