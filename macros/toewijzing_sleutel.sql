{#- What a toegewezen product is known by, and what a 305/307 names it with: its ToewijzingNummer,
    or in iWmo 2.x (which has none) its Beschikkingnummer, product, Ingangsdatum and aanbieder.
    `ingangsdatum` is the column holding the toewijzing's Ingangsdatum in `relation`. -#}
{% macro toewijzing_sleutel(relation=none, ingangsdatum='ingangsdatum') -%}
    {%- set p = (relation ~ '.') if relation else '' -%}
    coalesce(
        cast({{ p }}toewijzing_nummer as varchar),
        concat_ws(
            '|', {{ p }}beschikkingnummer, {{ p }}product_categorie, {{ p }}product_code,
            cast({{ p }}{{ ingangsdatum }} as varchar), {{ p }}product_aanbieder_agb
        )
    )
{%- endmacro %}

{#- Whether the gemeente issued a toewijzing to the aanbieder under the key `record` names:
    the one definition of "a toewijzing issued to this aanbieder". `sleutel` is the expression
    for that key, `record`'s toewijzing_sleutel unless given (a 323 names the ToewijzingNummer,
    which is the key wherever a 323 exists: pass it as text). Whether it went to the same
    client and product is another question (a mistyped BSN, an unknown product code). -#}
{% macro toewijzing_uitgegeven(record, sleutel=none) -%}
    exists (
        select 1
        from {{ ref('toewijzingen') }} as uitgegeven
        where
            uitgegeven.standard = {{ record }}.standard
            and uitgegeven.gemeente_code = {{ record }}.gemeente_code
            and uitgegeven.aanbieder_agb = {{ record }}.aanbieder_agb
            and uitgegeven.toewijzing_sleutel = {{ sleutel or (record ~ '.toewijzing_sleutel') }}
    )
{%- endmacro %}
