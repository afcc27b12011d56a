-- One row per wijk and buurt: those CBS's Kerncijfers wijken en buurten list, with the name and
-- population of the latest KWB year loaded, and those where clients live that no KWB file lists
-- (without name or population). See the glossary's gebied.
with kwb as (
    select
        *,
        row_number() over (partition by gebied_code order by jaar desc) as recency
    from {{ ref('kwb_gebieden') }}
),

clienten as (
    select * from {{ ref('clienten') }}
),

client_gebieden as (
    select distinct
        buurt_code as gebied_code,
        'buurt' as gebied_niveau,
        wijk_code,
        substr(buurt_code, 3, 4) as gemeente_code
    from clienten
    where wijk_code is not null
    union
    select distinct
        wijk_code as gebied_code,
        'wijk' as gebied_niveau,
        wijk_code,
        substr(wijk_code, 3, 4) as gemeente_code
    from clienten
    where wijk_code is not null
),

final as (
    select
        kwb.gebied_code,
        kwb.gebied_niveau,
        kwb.gemeente_code,
        kwb.wijk_code,
        kwb.naam,
        kwb.jaar as kwb_jaar,
        kwb.inwoners
    from kwb
    where kwb.recency = 1
    union all
    select
        client_gebieden.gebied_code,
        client_gebieden.gebied_niveau,
        client_gebieden.gemeente_code,
        client_gebieden.wijk_code,
        cast(null as varchar) as naam,
        cast(null as integer) as kwb_jaar,
        cast(null as double precision) as inwoners
    from client_gebieden
    where not exists (
        select 1 from kwb
        where kwb.gebied_code = client_gebieden.gebied_code
    )
)

select * from final
