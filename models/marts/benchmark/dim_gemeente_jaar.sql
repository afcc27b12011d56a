-- One row per gemeente and year (cleaned.gemeente_jaren), as BI tools read it.
with gemeente_jaren as (
    select * from {{ ref('gemeente_jaren') }}
),

final as (
    select
        gemeente_code,
        gemeente_naam,
        jeugdregio_code,
        jeugdregio_naam,
        inwoners_bron,
        jongeren_tot_18_bron,
        jaar,
        inwoners,
        jongeren_tot_18,
        cbs_gemeente_code,
        grootteklasse_code,
        huidige_gemeente_code
    from gemeente_jaren
)

select * from final
