{#- The day stocks and ages are measured on: var('peildatum') when given, else the latest
    Dagtekening in the warehouse, so that a rebuild of the same data gives the same answer. -#}
{% macro peildatum() -%}
    {%- if var('peildatum', none) -%}
        cast('{{ var("peildatum") }}' as date)
    {%- else -%}
        (select max(dagtekening) from {{ ref('berichten') }})
    {%- endif -%}
{%- endmacro %}

{#- Age bands as CBS publishes them for jeugd (0-22) and Wmo (65+), one list for both. -#}
{% macro leeftijdsklasse(leeftijd) -%}
    case
        when {{ leeftijd }} is null then null
        when {{ leeftijd }} < 4 then '0-3'
        when {{ leeftijd }} < 12 then '4-11'
        when {{ leeftijd }} < 18 then '12-17'
        when {{ leeftijd }} < 23 then '18-22'
        when {{ leeftijd }} < 65 then '23-64'
        when {{ leeftijd }} < 75 then '65-74'
        when {{ leeftijd }} < 85 then '75-84'
        else '85+'
    end
{%- endmacro %}
