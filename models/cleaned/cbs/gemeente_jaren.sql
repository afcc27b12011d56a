-- One row per gemeente and year: CBS gemeentecode, name, jeugdregio and size class, the
-- population the benchmark divides by, and the gemeente it lives on in after herindelingen.
-- Loaded CBS tables come first (Gebieden in Nederland for the indeling, 03759ned or KWB for
-- the population); the seed cbs_gemeenten fills what they leave open. A jeugdregio or name
-- known for an earlier year carries forward: the indeling rarely changes between editions.
with cijfers as (
    select * from {{ ref('cbs_cijfers') }}
    where niveau = 'gemeente'
),

seed as (
    select * from {{ ref('cbs_gemeenten') }}
),

grootteklassen as (
    select * from {{ ref('cbs_grootteklassen') }}
),

herindelingen as (
    select * from {{ ref('herindelingen') }}
),

dimension_codes as (
    select * from {{ ref('stg_cbs__dimension_codes') }}
),

-- Gebieden in Nederland holds Code_n / Naam_(n+1) pairs per indeling (cbs.md §1e); the pair
-- whose code is a JZ code is the jeugdregio, the one whose code is the gemeente's its name.
gebieden as (
    select
        gemeente_code,
        editie_jaar as jaar,
        measure_stable_key,
        cast({{ regexp_group('measure_key', '_([0-9]+)$') }} as integer) as nummer,
        value_text
    from cijfers
    where reeks = 'gebieden' and value_text is not null
),

gebieden_indeling as (
    select
        codes.gemeente_code,
        codes.jaar,
        max(namen.value_text) filter (
            where codes.value_text = 'GM' || codes.gemeente_code
        ) as gemeente_naam,
        max(codes.value_text) filter (where codes.value_text like 'JZ%') as jeugdregio_code,
        max(namen.value_text) filter (where codes.value_text like 'JZ%') as jeugdregio_naam
    from gebieden as codes
    left join gebieden as namen
        on
            codes.gemeente_code = namen.gemeente_code
            and codes.jaar = namen.jaar
            and namen.measure_stable_key = 'Naam'
            and codes.nummer + 1 = namen.nummer
    where codes.measure_stable_key = 'Code'
    group by codes.gemeente_code, codes.jaar
),

-- 03759ned: population on 1 January by Leeftijd; its keys are not documented, so ages are read
-- from the Leeftijd titles ("17 jaar") loaded with the table. Totals of Geslacht (T001038) and
-- BurgerlijkeStaat (T001019) only.
leeftijden as (
    select *
    from (
        select
            code,
            case
                when title similar to '[0-9]+ jaar' then cast(split_part(title, ' ', 1) as integer)
            end as leeftijd,
            lower(title) like 'totaal%' as is_totaal,
            row_number() over (partition by code order by file_id) as rang
        from dimension_codes
        where dimension = 'Leeftijd'
    ) as gerangschikt
    where rang = 1
),

bevolking_cijfers as (
    select
        gemeente_code,
        periode_start,
        value,
        {{ json_text('dimensions', 'Leeftijd') }} as leeftijd_code
    from cijfers
    where
        maat = 'bevolking_1_januari'
        and periode_type = 'jaar'
        and coalesce({{ json_text('dimensions', 'Geslacht') }}, 'T001038') = 'T001038'
        and coalesce({{ json_text('dimensions', 'BurgerlijkeStaat') }}, 'T001019') = 'T001019'
),

bevolking as (
    select
        bevolking_cijfers.gemeente_code,
        extract(year from bevolking_cijfers.periode_start) as jaar,
        sum(bevolking_cijfers.value) filter (
            where leeftijden.is_totaal or bevolking_cijfers.leeftijd_code is null
        ) as inwoners,
        sum(bevolking_cijfers.value) filter (where leeftijden.leeftijd < 18) as jongeren_tot_18
    from bevolking_cijfers
    left join leeftijden on bevolking_cijfers.leeftijd_code = leeftijden.code
    group by bevolking_cijfers.gemeente_code, extract(year from bevolking_cijfers.periode_start)
),

-- KWB gives inhabitants on 1 January and bands 0-14 and 15-24, not 0-17: youth under 18 is
-- estimated as 0-14 plus three tenths of 15-24 when 03759ned is not loaded.
kwb as (
    select
        gemeente_code,
        extract(year from periode_start) as jaar,
        max(region_name) as gemeente_naam,
        max(value) filter (where maat = 'inwoners') as inwoners,
        max(value) filter (where maat = 'inwoners_0_tot_15')
        + 0.3 * max(value) filter (where maat = 'inwoners_15_tot_25') as jongeren_tot_18
    from cijfers
    where
        periode_type = 'peildatum'
        and extract(month from periode_start) = 1
        and extract(day from periode_start) = 1
    group by gemeente_code, extract(year from periode_start)
),

regio_titels as (
    select
        substr(code, 3, 4) as gemeente_code,
        max(title) as gemeente_naam
    from dimension_codes
    where dimension in ('RegioS', 'WijkenEnBuurten') and code like 'GM%'
    group by substr(code, 3, 4)
),

jaren as (
    select
        gemeente_code,
        jaar
    from seed
    union
    select
        gemeente_code,
        cast(extract(year from periode_start) as integer) as jaar
    from cijfers
    where periode_start is not null
    union
    select
        gemeente_code,
        jaar
    from gebieden_indeling
    where jaar is not null
),

combined as (
    select
        jaren.gemeente_code,
        jaren.jaar,
        seed.grootteklasse_code as seed_grootteklasse_code,
        coalesce(
            gebieden_indeling.gemeente_naam,
            kwb.gemeente_naam,
            seed.gemeente_naam,
            regio_titels.gemeente_naam
        ) as gemeente_naam,
        coalesce(gebieden_indeling.jeugdregio_code, seed.jeugdregio_code) as jeugdregio_code,
        coalesce(gebieden_indeling.jeugdregio_naam, seed.jeugdregio_naam) as jeugdregio_naam,
        coalesce(bevolking.inwoners, kwb.inwoners) as inwoners,
        case
            when bevolking.inwoners is not null then '03759ned'
            when kwb.inwoners is not null then 'kwb'
        end as inwoners_bron,
        coalesce(bevolking.jongeren_tot_18, kwb.jongeren_tot_18) as jongeren_tot_18,
        case
            when bevolking.jongeren_tot_18 is not null then '03759ned'
            when kwb.jongeren_tot_18 is not null then 'kwb_schatting'
        end as jongeren_tot_18_bron
    from jaren
    left join seed on jaren.gemeente_code = seed.gemeente_code and jaren.jaar = seed.jaar
    left join gebieden_indeling
        on
            jaren.gemeente_code = gebieden_indeling.gemeente_code
            and jaren.jaar = gebieden_indeling.jaar
    left join bevolking
        on jaren.gemeente_code = bevolking.gemeente_code and jaren.jaar = bevolking.jaar
    left join kwb on jaren.gemeente_code = kwb.gemeente_code and jaren.jaar = kwb.jaar
    left join regio_titels on jaren.gemeente_code = regio_titels.gemeente_code
),

carried as (
    select
        gemeente_code,
        jaar,
        inwoners,
        inwoners_bron,
        jongeren_tot_18,
        jongeren_tot_18_bron,
        coalesce(
            {{ last_non_null('gemeente_naam', 'earlier') }},
            {{ first_non_null('gemeente_naam', 'later') }}
        ) as gemeente_naam,
        {{ last_non_null('jeugdregio_code', 'earlier') }} as jeugdregio_code,
        {{ last_non_null('jeugdregio_naam', 'earlier') }} as jeugdregio_naam,
        {{ last_non_null('seed_grootteklasse_code', 'earlier') }} as seed_grootteklasse_code,
        {{ last_non_null('inwoners', 'earlier') }} as laatste_inwoners
    from combined
    window
        earlier as (
            partition by gemeente_code order by jaar
            rows between unbounded preceding and current row
        ),
        later as (
            partition by gemeente_code order by jaar
            rows between current row and unbounded following
        )
),

final as (
    select
        carried.gemeente_code,
        carried.gemeente_naam,
        carried.jeugdregio_code,
        carried.jeugdregio_naam,
        carried.inwoners_bron,
        carried.jongeren_tot_18_bron,
        cast(carried.jaar as integer) as jaar,
        cast(carried.inwoners as bigint) as inwoners,
        cast(round(carried.jongeren_tot_18) as bigint) as jongeren_tot_18,
        'GM' || carried.gemeente_code as cbs_gemeente_code,
        coalesce(grootteklassen.grootteklasse_code, carried.seed_grootteklasse_code)
            as grootteklasse_code,
        coalesce(herindelingen.opvolger_code, carried.gemeente_code) as huidige_gemeente_code
    from carried
    left join grootteklassen
        on
            carried.laatste_inwoners >= grootteklassen.inwoners_van
            and (
                carried.laatste_inwoners < grootteklassen.inwoners_tot
                or grootteklassen.inwoners_tot is null
            )
    left join herindelingen on carried.gemeente_code = herindelingen.gemeente_code
)

select * from final
