-- One row per gemeente, standard and month: clients in zorg (the stock), instroom and uitstroom.
with client_maanden as (
    select * from {{ ref('client_maanden') }}
),

final as (
    select
        gemeente_code,
        standard,
        maand_start,
        count(distinct client_pseudonym) as clienten_in_zorg,
        count(distinct client_pseudonym) filter (where is_instroom) as instroom,
        count(distinct client_pseudonym) filter (where is_uitstroom) as uitstroom
    from client_maanden
    group by gemeente_code, standard, maand_start
)

select * from final
