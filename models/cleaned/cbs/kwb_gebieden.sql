-- One row per wijk or buurt and KWB year: its name, gemeente, wijk and the population CBS's
-- Kerncijfers wijken en buurten give it, in total and per age band, with CBS's own counts of
-- jongeren met jeugdzorg in natura and Wmo-cliënten there. CBS rounds and blanks small wijk
-- and buurt figures; a blank stays null.
with kwb as (
    select * from {{ ref('cbs_cijfers') }}
    where reeks = 'kwb' and niveau in ('wijk', 'buurt')
),

final as (
    select
        region_code as gebied_code,
        niveau as gebied_niveau,
        huidige_gemeente_code as gemeente_code,
        editie_jaar as jaar,
        case
            when niveau = 'wijk' then region_code
            else 'WK' || substr(region_code, 3, 6)
        end as wijk_code,
        max(region_name) as naam,
        max(value) filter (where measure_stable_key = 'AantalInwoners') as inwoners,
        max(value) filter (where measure_stable_key = 'k_0Tot15Jaar') as inwoners_0_14,
        max(value) filter (where measure_stable_key = 'k_15Tot25Jaar') as inwoners_15_24,
        max(value) filter (where measure_stable_key = 'k_25Tot45Jaar') as inwoners_25_44,
        max(value) filter (where measure_stable_key = 'k_45Tot65Jaar') as inwoners_45_64,
        max(value) filter (where measure_stable_key = 'k_65JaarOfOuder') as inwoners_65_plus,
        max(value) filter (
            where measure_stable_key = 'JongerenMetJeugdzorgInNatura'
        ) as cbs_jongeren_met_jeugdzorg,
        max(value) filter (where measure_stable_key = 'WmoClienten') as cbs_wmo_clienten
    from kwb
    group by region_code, niveau, huidige_gemeente_code, editie_jaar
)

select * from final
