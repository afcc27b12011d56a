{#- A CBS period code as typed columns: periode_type, periode_start and periode_eind.
    StatLine and OData codes are YYYY + type + number: 2024JJ00 (year), 2024HJ01 (half-year),
    2024KW03 (quarter), 2024MM11 (month). Kerncijfers wijken en buurten has a Peildatum such as
    "1-1-2025" instead, a single day. Any other code (X0, W1, day forms) stays untyped: null. -#}
{% macro cbs_period(code) -%}
    {%- set year = safe_cast("substr(" ~ code ~ ", 1, 4)", "integer") -%}
    {%- set number = safe_cast("substr(" ~ code ~ ", 7, 2)", "integer") -%}
    {%- set kind = "case when length(" ~ code ~ ") = 8 and " ~ year ~ " is not null then substr("
        ~ code ~ ", 5, 2) end" -%}
    {%- set day = safe_cast(
        "split_part(" ~ code ~ ", '-', 3) || '-' || lpad(split_part(" ~ code ~ ", '-', 2), 2, '0')"
        ~ " || '-' || lpad(split_part(" ~ code ~ ", '-', 1), 2, '0')", "date") -%}
    {%- set types = {
        'JJ': {'name': 'jaar', 'months': 12, 'first': '1', 'valid': number ~ ' = 0'},
        'HJ': {'name': 'halfjaar', 'months': 6, 'first': '6 * ' ~ number ~ ' - 5',
               'valid': number ~ ' between 1 and 2'},
        'KW': {'name': 'kwartaal', 'months': 3, 'first': '3 * ' ~ number ~ ' - 2',
               'valid': number ~ ' between 1 and 4'},
        'MM': {'name': 'maand', 'months': 1, 'first': number,
               'valid': number ~ ' between 1 and 12'},
    } -%}
    case {{ kind }}
        {%- for code_type, t in types.items() %}
        when '{{ code_type }}' then case when {{ t.valid }} then '{{ t.name }}' end
        {%- endfor %}
        else case when {{ code }} like '%-%-%' and {{ day }} is not null then 'peildatum' end
    end as periode_type,
    case {{ kind }}
        {%- for code_type, t in types.items() %}
        when '{{ code_type }}' then case when {{ t.valid }} then
            make_date({{ year }}, {{ t.first }}, 1) end
        {%- endfor %}
        else case when {{ code }} like '%-%-%' then {{ day }} end
    end as periode_start,
    case {{ kind }}
        {%- for code_type, t in types.items() %}
        when '{{ code_type }}' then case when {{ t.valid }} then cast(
            make_date({{ year }}, {{ t.first }}, 1)
            + interval '{{ t.months }} months' - interval '1 day' as date
        ) end
        {%- endfor %}
        else case when {{ code }} like '%-%-%' then {{ day }} end
    end as periode_eind
{%- endmacro %}
