-- One row per gemeente and product in its zorgperioden: the CBS form of care it counts under.
-- The most specific crosswalk row wins (the gemeente's own over `*`, a product code over `*`);
-- without one, the productcategorie's own CBS hulpvorm (JZ020 31-38); otherwise none.
with producten as (
    select distinct
        gemeente_code,
        standard,
        product_categorie,
        product_code
    from {{ ref('zorgperioden') }}
),

crosswalk as (
    select * from {{ ref('cbs_hulpvorm_crosswalk') }}
),

categorie as (
    select * from {{ ref('productcategorie') }}
),

kandidaten as (
    select *
    from (
        select
            producten.gemeente_code,
            producten.standard,
            producten.product_categorie,
            producten.product_code,
            crosswalk.vorm_code,
            crosswalk.toelichting,
            case
                when crosswalk.gemeente_code = '*' then 'crosswalk_standaard'
                else 'crosswalk_gemeente'
            end as bron,
            row_number() over (
                partition by
                    producten.gemeente_code,
                    producten.standard,
                    producten.product_categorie,
                    producten.product_code
                order by crosswalk.gemeente_code = '*', crosswalk.product_code = '*'
            ) as rang
        from producten
        inner join crosswalk
            on
                producten.standard = crosswalk.standard
                and producten.product_categorie = crosswalk.product_categorie
                and (
                    producten.gemeente_code = crosswalk.gemeente_code
                    or crosswalk.gemeente_code = '*'
                )
                and (
                    producten.product_code = crosswalk.product_code
                    or crosswalk.product_code = '*'
                )
    ) as gerangschikt
    where rang = 1
),

final as (
    select
        producten.gemeente_code,
        producten.standard,
        producten.product_categorie,
        producten.product_code,
        coalesce(kandidaten.vorm_code, categorie.cbs_hulpvorm_code) as vorm_code,
        case
            when kandidaten.vorm_code is not null then kandidaten.bron
            when categorie.cbs_hulpvorm_code is not null then 'productcategorie'
        end as bron,
        coalesce(
            kandidaten.toelichting,
            case when categorie.cbs_hulpvorm_code is not null then categorie.omschrijving end
        ) as toelichting
    from producten
    left join kandidaten
        on
            producten.gemeente_code = kandidaten.gemeente_code
            and producten.standard = kandidaten.standard
            and producten.product_categorie = kandidaten.product_categorie
            and producten.product_code is not distinct from kandidaten.product_code
    left join categorie
        on
            producten.standard = categorie.standard
            and producten.product_categorie = categorie.code
)

select * from final
