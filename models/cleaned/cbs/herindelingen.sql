-- One row per gemeente code that ceased to exist in a herindeling: the gemeente it went into
-- and the gemeente it lives on in today, following chains (A into B, later B into C: C).
with recursive herindelingen as (
    select * from {{ ref('gemeente_herindeling') }}
),

ketens as (
    select
        old_code,
        new_code,
        1 as stappen
    from herindelingen
    union all
    select
        ketens.old_code,
        herindelingen.new_code,
        ketens.stappen + 1 as stappen
    from ketens
    inner join herindelingen on ketens.new_code = herindelingen.old_code
    -- a code merged back into one of its own predecessors would loop; no chain is this long
    where ketens.stappen < 20
),

laatste as (
    select *
    from (
        select
            old_code,
            new_code as opvolger_code,
            row_number() over (partition by old_code order by stappen desc) as rang
        from ketens
    ) as gerangschikt
    where rang = 1
),

final as (
    select
        herindelingen.old_code as gemeente_code,
        herindelingen.old_naam as gemeente_naam,
        herindelingen.new_code as directe_opvolger_code,
        herindelingen.new_naam as directe_opvolger_naam,
        laatste.opvolger_code,
        herindelingen.year as opgeheven_per_jaar,
        herindelingen.ingangsdatum
    from herindelingen
    inner join laatste on herindelingen.old_code = laatste.old_code
)

select * from final
