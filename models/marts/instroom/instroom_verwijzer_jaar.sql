-- One row per gemeente, standard, year, productcategorie and verwijzer type: the toewijzingen
-- whose Ingangsdatum falls in the year, by who referred the client. A toewijzing answering a 315
-- (any of its versions repeats the 315's ReferentieAanbieder) has that verzoek's verwijzer; one
-- without a 315 came through the gemeente's own toegang (COD327 01, Gemeente).
with toewijzingen as (
    select * from {{ ref('toewijzingen') }}
),

versies as (
    select * from {{ ref('toewijzing_versies') }}
),

verzoeken as (
    select * from {{ ref('verzoeken') }}
    where message_type = '315'
),

verwijzer_typen as (
    select * from {{ ref('verwijzer_type') }}
),

verwezen as (
    select
        versies.toewijzing_id,
        min(verzoeken.verwijzer_type) as verwijzer_type
    from versies
    inner join verzoeken
        on
            versies.standard = verzoeken.standard
            and versies.gemeente_code = verzoeken.gemeente_code
            and versies.aanbieder_agb = verzoeken.aanbieder_agb
            and versies.referentie_aanbieder = verzoeken.referentie_aanbieder
    group by 1
),

per_toewijzing as (
    select
        toewijzingen.gemeente_code,
        toewijzingen.standard,
        cast(extract(year from toewijzingen.ingangsdatum) as integer) as jaar,
        toewijzingen.product_categorie,
        toewijzingen.client_pseudonym,
        coalesce(verwezen.verwijzer_type, '01') as verwijzer_type,
        verwezen.toewijzing_id is not null as is_via_verzoek
    from toewijzingen
    left join verwezen on toewijzingen.toewijzing_id = verwezen.toewijzing_id
),

counted as (
    select
        gemeente_code,
        standard,
        jaar,
        product_categorie,
        verwijzer_type,
        count(*) as toewijzingen,
        count(*) filter (where is_via_verzoek) as toewijzingen_via_verzoek,
        count(distinct client_pseudonym) as clienten
    from per_toewijzing
    group by 1, 2, 3, 4, 5
),

final as (
    select
        counted.gemeente_code,
        counted.standard,
        counted.jaar,
        counted.product_categorie,
        counted.verwijzer_type,
        verwijzer_typen.omschrijving as verwijzer_omschrijving,
        counted.toewijzingen,
        counted.toewijzingen_via_verzoek,
        counted.clienten,
        cast(counted.toewijzingen as double precision) / sum(counted.toewijzingen) over (
            partition by
                counted.gemeente_code, counted.standard, counted.jaar, counted.product_categorie
        ) as aandeel_toewijzingen
    from counted
    left join verwijzer_typen on counted.verwijzer_type = verwijzer_typen.code
)

select * from final
