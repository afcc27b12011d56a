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
