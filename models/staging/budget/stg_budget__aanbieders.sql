with source as (
    select * from {{ source('budget', 'budget_aanbieders') }}
),

renamed as (
    select
        file_id,
        row_seq,
        gemeente_code,
        aanbieder_agb,
        naam as aanbieder_naam,
        nullif(kvk_nummer, '') as kvk_nummer,
        nullif(soort, '') as aanbieder_soort
    from source
)

select * from renamed
