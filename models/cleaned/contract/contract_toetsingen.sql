-- One row per toewijzing and per standing prestatie (323), held against the gemeente's inkoop
-- catalogue: is there a contract for this aanbieder, product and year, and does the declared
-- tariff equal the contracted one? The year is the toewijzing's Ingangsdatum's or the
-- prestatie's Begindatum's. Only where the gemeente loaded a catalogue for that standard and
-- year: without one nothing is known about contracts, and the flags stay false.
with toewijzingen as (
    select * from {{ ref('toewijzingen') }}
),

declaratieregels as (
    select * from {{ ref('declaratieregels') }}
),

inkoop as (
    select * from {{ ref('inkoop') }}
),

-- The years and standards each gemeente has a catalogue for.
catalogus_jaren as (
    select distinct
        gemeente_code,
        standard,
        jaar
    from inkoop
),

-- The gemeente's product list where it loaded a catalogue: a code on none of its lines is
-- `unknown_product_code`'s finding in a prestatie, not this check's.
catalogus_producten as (
    select distinct
        gemeente_code,
        standard,
        product_code
    from inkoop
),

-- One contract per aanbieder, product and year; should the catalogue name a product twice
-- (in two percelen), a tariff between the lowest and the highest is the contracted one.
contracten as (
    select
        gemeente_code,
        standard,
        jaar,
        aanbieder_agb,
        product_code,
        min(eenheid) as eenheid,
        min(tarief_eurocent) as laagste_tarief_eurocent,
        max(tarief_eurocent) as hoogste_tarief_eurocent
    from inkoop
    group by 1, 2, 3, 4, 5
),

records as (
    select
        toewijzing_id as contract_toetsing_id,
        'toewijzing' as record_soort,
        standard,
        gemeente_code,
        aanbieder_agb,
        toewijzing_nummer,
        product_code,
        eenheid,
        cast(null as varchar) as declaratie_nummer,
        cast(null as varchar) as referentie_nummer,
        bericht_identificatie,
        ingangsdatum as datum,
        cast(extract(year from ingangsdatum) as integer) as jaar,
        cast(null as bigint) as tarief_eurocent
    from toewijzingen
    union all
    select
        declaratieregel_id as contract_toetsing_id,
        'prestatie' as record_soort,
        standard,
        gemeente_code,
        aanbieder_agb,
        toewijzing_nummer,
        product_code,
        eenheid,
        declaratie_nummer,
        referentie_nummer,
        bericht_identificatie,
        begindatum as datum,
        cast(extract(year from begindatum) as integer) as jaar,
        product_tarief_eurocent as tarief_eurocent
    from declaratieregels
),

getoetst as (
    select
        records.*,
        contracten.laagste_tarief_eurocent,
        contracten.hoogste_tarief_eurocent,
        contracten.eenheid as contract_eenheid,
        catalogus_jaren.jaar is not null as is_catalogus_geladen,
        contracten.product_code is not null as is_gecontracteerd,
        records.record_soort = 'toewijzing'
        or catalogus_producten.product_code is not null as is_op_productlijst
    from records
    left join catalogus_jaren
        on
            records.gemeente_code = catalogus_jaren.gemeente_code
            and records.standard = catalogus_jaren.standard
            and records.jaar = catalogus_jaren.jaar
    left join catalogus_producten
        on
            records.gemeente_code = catalogus_producten.gemeente_code
            and records.standard = catalogus_producten.standard
            and records.product_code = catalogus_producten.product_code
    left join contracten
        on
            records.gemeente_code = contracten.gemeente_code
            and records.standard = contracten.standard
            and records.jaar = contracten.jaar
            and records.aanbieder_agb = contracten.aanbieder_agb
            and records.product_code = contracten.product_code
),

final as (
    select
        contract_toetsing_id,
        record_soort,
        standard,
        gemeente_code,
        aanbieder_agb,
        toewijzing_nummer,
        product_code,
        eenheid,
        declaratie_nummer,
        referentie_nummer,
        bericht_identificatie,
        datum,
        jaar,
        tarief_eurocent,
        laagste_tarief_eurocent,
        hoogste_tarief_eurocent,
        is_catalogus_geladen,
        is_gecontracteerd,
        is_catalogus_geladen and is_op_productlijst and not is_gecontracteerd
            as is_zonder_contract,
        -- A tariff in another eenheid than the contract's cannot be compared.
        coalesce(
            eenheid = contract_eenheid and tarief_eurocent > hoogste_tarief_eurocent, false
        ) as is_tarief_boven_contract,
        coalesce(
            eenheid = contract_eenheid and tarief_eurocent < laagste_tarief_eurocent, false
        ) as is_tarief_onder_contract
    from getoetst
)

select * from final
