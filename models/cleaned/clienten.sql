-- One row per client (pseudonym): what the messages say about the person, latest first.
-- Only 301s carry an address, so the address area is the latest one any 301 gave: its buurt
-- code when SDW_POSTCODE_BUURT maps the postcode, else its four digits (the loader keeps one of
-- the two). 317s, 323s and 325s name the client by BSN alone, so birth and geslacht are the
-- latest a message stated.
with clienten as (
    select * from {{ ref('client_vermeldingen') }}
),

latest as (
    select
        *,
        row_number() over (
            partition by client_pseudonym order by dagtekening desc, file_id desc, client_seq asc
        ) as recency
    from clienten
),

latest_persoon as (
    select
        client_pseudonym,
        geboortejaar,
        geboortemaand,
        geslacht,
        row_number() over (
            partition by client_pseudonym order by dagtekening desc, file_id desc, client_seq asc
        ) as recency
    from clienten
    where geboortejaar is not null
),

latest_adres as (
    select
        client_pseudonym,
        postcode4,
        buurt_code,
        row_number() over (
            partition by client_pseudonym order by dagtekening desc, file_id desc
        ) as recency
    from clienten
    where postcode4 is not null or buurt_code is not null
),

seen as (
    select
        client_pseudonym,
        bool_or(standard = 'iwmo') as heeft_wmo,
        bool_or(standard = 'ijw') as heeft_jeugd,
        min(dagtekening) as eerste_bericht_datum,
        max(dagtekening) as laatste_bericht_datum
    from clienten
    group by client_pseudonym
),

final as (
    select
        latest.client_pseudonym,
        latest.gemeente_code,
        latest_persoon.geboortejaar,
        latest_persoon.geboortemaand,
        latest_persoon.geslacht,
        latest_adres.postcode4,
        latest_adres.buurt_code,
        seen.heeft_wmo,
        seen.heeft_jeugd,
        seen.eerste_bericht_datum,
        seen.laatste_bericht_datum,
        -- A CBS buurt code is BU + gemeente (4) + wijk (2) + buurt (2): its wijk is WK + the six
        -- digits before the buurt's two.
        case
            when latest_adres.buurt_code like 'BU%' and length(latest_adres.buurt_code) = 10
                then 'WK' || substr(latest_adres.buurt_code, 3, 6)
        end as wijk_code
    from latest
    inner join seen
        on latest.client_pseudonym = seen.client_pseudonym
    left join latest_persoon
        on
            latest.client_pseudonym = latest_persoon.client_pseudonym
            and latest_persoon.recency = 1
    left join latest_adres
        on
            latest.client_pseudonym = latest_adres.client_pseudonym
            and latest_adres.recency = 1
    where latest.recency = 1
)

select * from final
