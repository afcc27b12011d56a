{#- Mean of a rate weighted by its base (e.g. per-1,000 rates by population), over the rows that
    have both; the plain mean where no row has a weight. -#}
{% macro weighted_mean(value, weight) -%}
    coalesce(
        sum({{ value }} * {{ weight }})
        / nullif(sum(case when {{ value }} is not null then {{ weight }} end), 0),
        avg({{ value }})
    )
{%- endmacro %}
