-- Current 305 starts: one per logical key (toewijzing, product, begindatum; IV008).
-- start_gemeld_datum is when the start was first reported: the first delivery of its key, or,
-- for a start that corrects another (IV008: one message deletes the wrong Begindatum and states
-- the right one), the first report of the start it corrects; the correction itself comes later
-- by nature, and is not a late report. Timeliness is measured against the Begindatum that
-- first report stated (start_gemeld_begindatum).
{%- set current_key = [] -%}
{%- for column in var('zorgperiode_key') -%}
    {%- do current_key.append('current_starts.' ~ column) -%}
{%- endfor %}
with starts as (
    {{ message_records(ref('stg_istandaarden__start_producten')) }}
),

current_starts as (
    {{ current_aanlevering('starts', var('zorgperiode_key')) }}
),

first_reported as (
    select
        {{ var('zorgperiode_key') | join(', ') }},
        min(dagtekening) as eerste_dagtekening
    from starts
    group by {{ var('zorgperiode_key') | join(', ') }}
),

-- The same, whichever client: the start a correction deletes may have gone out under a
-- mistyped BSN (the toewijzing number still names it).
first_reported_any_client as (
    select
        {{ var('zorgperiode_key') | reject('equalto', 'client_pseudonym') | join(', ') }},
        min(dagtekening) as eerste_dagtekening
    from starts
    group by {{ var('zorgperiode_key') | reject('equalto', 'client_pseudonym') | join(', ') }}
),

-- Per message: the earliest first report among the starts it deletes, per product line.
corrected as (
    select
        starts.file_id,
        starts.standard,
        starts.gemeente_code,
        starts.aanbieder_agb,
        starts.client_pseudonym,
        starts.toewijzing_nummer,
        starts.product_categorie,
        starts.product_code,
        min(first_reported.eerste_dagtekening) as eerste_dagtekening,
        {{ arg_min('first_reported.begindatum', 'first_reported.eerste_dagtekening') }}
            as eerste_begindatum
    from starts
    inner join first_reported_any_client as first_reported
        on
            {% for column in var('zorgperiode_key') | reject('equalto', 'client_pseudonym') -%}
                starts.{{ column }} is not distinct from first_reported.{{ column }}
                {%- if not loop.last %} and {% endif %}
            {% endfor %}
    where starts.status_aanlevering = '3'
    group by
        starts.file_id,
        starts.standard,
        starts.gemeente_code,
        starts.aanbieder_agb,
        starts.client_pseudonym,
        starts.toewijzing_nummer,
        starts.product_categorie,
        starts.product_code
),

final as (
    select
        {{ surrogate_key(current_key) }} as zorgperiode_id,
        current_starts.standard,
        current_starts.release,
        current_starts.release_family,
        current_starts.gemeente_code,
        current_starts.aanbieder_agb,
        current_starts.client_pseudonym,
        current_starts.is_bsn_valid,
        current_starts.toewijzing_nummer,
        {{ toewijzing_sleutel('current_starts', 'toewijzing_ingangsdatum') }}
            as toewijzing_sleutel,
        current_starts.product_categorie,
        current_starts.product_code,
        current_starts.toewijzing_ingangsdatum,
        current_starts.begindatum,
        current_starts.dagtekening as start_dagtekening,
        least(
            first_reported.eerste_dagtekening, corrected.eerste_dagtekening
        ) as start_gemeld_datum,
        -- The Begindatum as first reported: for a correction, the one it corrects, because
        -- the report was timely or late against the date the aanbieder then stated.
        case
            when corrected.eerste_dagtekening < first_reported.eerste_dagtekening
                then corrected.eerste_begindatum
            else current_starts.begindatum
        end as start_gemeld_begindatum,
        current_starts.bericht_identificatie as start_bericht_identificatie,
        current_starts.delivery_count as start_delivery_count
    from current_starts
    inner join first_reported
        on
            {% for column in var('zorgperiode_key') -%}
                current_starts.{{ column }} is not distinct from first_reported.{{ column }}
                {%- if not loop.last %} and {% endif %}
            {% endfor %}
    left join corrected
        on
            current_starts.file_id = corrected.file_id
            and current_starts.standard = corrected.standard
            and current_starts.gemeente_code = corrected.gemeente_code
            and current_starts.aanbieder_agb = corrected.aanbieder_agb
            and current_starts.client_pseudonym = corrected.client_pseudonym
            and current_starts.toewijzing_nummer is not distinct from corrected.toewijzing_nummer
            and current_starts.product_categorie is not distinct from corrected.product_categorie
            and current_starts.product_code is not distinct from corrected.product_code
)

select * from final
