-- One row per client, standard and month in which the client was in zorg, as BI tools read it:
-- a projection of cleaned.client_maanden.
with client_maanden as (
    select * from {{ ref('client_maanden') }}
),

final as (
    select
        standard,
        gemeente_code,
        client_pseudonym,
        maand_start,
        is_instroom,
        is_uitstroom
    from client_maanden
)

select * from final
