-- One row per region, member gemeente and year: CBS's jeugdregio of each gemeente and year
-- (cleaned.gemeente_jaren), and the regions the gemeente configures (seed regio_indeling) for
-- every calendar year within their years. Regional marts count the rows of these gemeenten,
-- never add up the gemeenten's own figures.
with gemeente_jaren as (
    select * from {{ ref('gemeente_jaren') }}
),

indeling as (
    select * from {{ ref('regio_indeling') }}
),

jaren as (
    select distinct cast(extract(year from datum) as integer) as jaar
    from {{ ref('kalender') }}
),

jeugdregio as (
    select
        'jeugdregio' as regio_soort,
        jeugdregio_code as regio_code,
        jeugdregio_naam as regio_naam,
        gemeente_code,
        jaar
    from gemeente_jaren
    where jeugdregio_code is not null
),

geconfigureerd as (
    select
        indeling.regio_soort,
        indeling.regio_code,
        indeling.regio_naam,
        indeling.gemeente_code,
        jaren.jaar
    from indeling
    inner join jaren
        on
            indeling.jaar_van <= jaren.jaar
            and coalesce(indeling.jaar_tot, jaren.jaar) >= jaren.jaar
),

final as (
    select * from jeugdregio
    union all
    select * from geconfigureerd
)

select * from final
