{#- StatusAanlevering (COD467) for records with a logical key (305 starts, 307 stops): per key
    the latest delivery counts, and when that is a deletion (3) the record is gone. Message
    order carries no meaning (OP080), so "latest" is by Dagtekening; on one day a re-sent record
    outranks its deletion, because a correction is sent as deletion plus new record (IV008).
    Adds `delivery_count`: how many deliveries the key had. -#}
{% macro current_aanlevering(records, key_columns) -%}
    select *
    from (
        select
            records.*,
            count(*) over (partition by {{ key_columns | join(', ') }}) as delivery_count,
            row_number() over (
                partition by {{ key_columns | join(', ') }}
                order by
                    records.dagtekening desc,
                    case when records.status_aanlevering = '3' then 1 else 0 end asc,
                    records.file_id desc,
                    records.product_seq desc
            ) as delivery_rank
        from {{ records }} as records
    ) as ranked
    where delivery_rank = 1 and status_aanlevering <> '3'
{%- endmacro %}
