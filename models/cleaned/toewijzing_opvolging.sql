-- One row per current toewijzing: whether and when the aanbieder started it. A toewijzing is
-- "zonder start" once dagen_zonder_start days have passed since its Ingangsdatum (on the
-- peildatum) without any 305 linked to it.
with toewijzingen as (
    select * from {{ ref('toewijzingen') }}
),

categorieen as (
    select * from {{ ref('productcategorie') }}
),

per_toewijzing as (
    select
        toewijzing_id,
        cast(sum(zorgduur_dagen) as bigint) as zorgduur_dagen,
        count(*) as zorgperiode_count,
        min(begindatum) as eerste_begindatum,
        max(einddatum) as laatste_einddatum,
        bool_and(einddatum is not null) as is_beeindigd
    from {{ ref('zorgperioden') }}
    where toewijzing_id is not null
    group by toewijzing_id
),

-- Any 305 naming the toewijzing's number counts as reported, even when it names another client
-- (an invalid BSN) or product (an unknown code): those are findings of their own.
gemelde_nummers as (
    select distinct
        standard,
        gemeente_code,
        aanbieder_agb,
        toewijzing_nummer
    from {{ ref('zorgstarts') }}
),

final as (
    select
        toewijzingen.toewijzing_id,
        toewijzingen.standard,
        toewijzingen.gemeente_code,
        toewijzingen.aanbieder_agb,
        toewijzingen.client_pseudonym,
        toewijzingen.toewijzing_nummer,
        toewijzingen.product_categorie,
        toewijzingen.product_code,
        toewijzingen.ingangsdatum,
        toewijzingen.einddatum,
        toewijzingen.volume,
        toewijzingen.eenheid,
        toewijzingen.frequentie,
        per_toewijzing.eerste_begindatum,
        per_toewijzing.laatste_einddatum,
        per_toewijzing.zorgduur_dagen,
        cast(per_toewijzing.eerste_begindatum - toewijzingen.ingangsdatum as bigint)
            as wachttijd_dagen,
        coalesce(per_toewijzing.zorgperiode_count, 0) as zorgperiode_count,
        coalesce(per_toewijzing.is_beeindigd, false) as is_beeindigd,
        gemelde_nummers.toewijzing_nummer is null
        and toewijzingen.ingangsdatum + {{ var('dagen_zonder_start') }}
        <= {{ peildatum() }} as is_zonder_start,
        toewijzingen.product_categorie is null
        or categorieen.code is not null as is_bekende_productcategorie
    from toewijzingen
    left join per_toewijzing
        on toewijzingen.toewijzing_id = per_toewijzing.toewijzing_id
    left join gemelde_nummers
        on
            toewijzingen.standard = gemelde_nummers.standard
            and toewijzingen.gemeente_code = gemelde_nummers.gemeente_code
            and toewijzingen.aanbieder_agb = gemelde_nummers.aanbieder_agb
            and toewijzingen.toewijzing_nummer = gemelde_nummers.toewijzing_nummer
    left join categorieen
        on
            toewijzingen.standard = categorieen.standard
            and toewijzingen.product_categorie = categorieen.code
)

select * from final
