with clienten as (
    select * from {{ ref('clienten') }}
),

aged as (
    select
        *,
        cast(floor(
            (
                extract(year from {{ peildatum() }}) * 12 + extract(month from {{ peildatum() }})
                - (geboortejaar * 12 + coalesce(geboortemaand, 7))
            ) / 12.0
        ) as integer) as leeftijd
    from clienten
),

final as (
    select
        client_pseudonym,
        gemeente_code,
        geboortejaar,
        leeftijd,
        {{ leeftijdsklasse('leeftijd') }} as leeftijdsklasse,
        geslacht,
        postcode4,
        buurt_code,
        wijk_code,
        heeft_wmo,
        heeft_jeugd,
        eerste_bericht_datum,
        laatste_bericht_datum
    from aged
)

select * from final
