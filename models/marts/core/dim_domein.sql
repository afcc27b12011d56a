-- The two domains of the social domain, one row per standard, so that every metric of the
-- semantic layer can be grouped and filtered by domain under one name (domein__domein).
with standaarden as (
    select distinct standard from {{ ref('berichtsoort') }}
),

final as (
    select
        standard,
        case standard when 'iwmo' then 'Wmo' when 'ijw' then 'Jeugd' end as domein,
        case standard when 'iwmo' then 'Wmo 2015' when 'ijw' then 'Jeugdwet' end as wet
    from standaarden
)

select * from final
