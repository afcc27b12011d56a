{#- Tukey's fences: 'hoog' above q3 + k * IQR, 'laag' below q1 - k * IQR, 'normaal' between,
    empty without a value; k is var('uitschieter_iqr_factor'). -#}
{% macro uitschieter(value, q1, q3) -%}
    case
        when {{ value }} is null then null
        when {{ value }} > {{ q3 }} + {{ var('uitschieter_iqr_factor') }} * ({{ q3 }} - {{ q1 }})
            then 'hoog'
        when {{ value }} < {{ q1 }} - {{ var('uitschieter_iqr_factor') }} * ({{ q3 }} - {{ q1 }})
            then 'laag'
        else 'normaal'
    end
{%- endmacro %}
