{#- The partitions of declaratieregels (client within aanbieder) that messages loaded since the
    model's watermark can change (see incrementeel.sql): the clients of their prestaties and of
    their toegewezen producten (a new version moves a line's toewijzing and flags), the clients
    whose debit a new credit cancels (whatever client the credit names), and the clients with a
    line under a toewijzing number the new 301s issue (a line without toewijzing may get one). -#}
{% macro declaratieregel_partitie_sleutel() -%}
    {{ return(['standard', 'gemeente_code', 'aanbieder_agb', 'client_pseudonym']) }}
{%- endmacro %}

{% macro declaratieregel_partities_gewijzigd() -%}
    with nieuw as (
        {{ nieuwe_bestanden() }}
    ),

    koppen as (
        select
            file_id,
            standard,
            gemeente_code,
            aanbieder_agb
        from {{ ref('stg_istandaarden__berichten') }}
    ),

    clienten as (
        select
            file_id,
            client_seq,
            client_pseudonym
        from {{ ref('stg_istandaarden__clienten') }}
    ),

    regels as (
        select
            koppen.standard,
            koppen.gemeente_code,
            koppen.aanbieder_agb,
            clienten.client_pseudonym,
            prestaties.file_id,
            prestaties.referentie_nummer,
            prestaties.vorig_referentie_nummer,
            prestaties.toewijzing_nummer
        from {{ ref('stg_istandaarden__prestaties') }} as prestaties
        inner join koppen
            on prestaties.file_id = koppen.file_id
        inner join clienten
            on
                prestaties.file_id = clienten.file_id
                and prestaties.client_seq = clienten.client_seq
    ),

    nieuwe_regels as (
        select regels.*
        from regels
        inner join nieuw
            on regels.file_id = nieuw.file_id
    ),

    nieuwe_toewijzingen as (
        select
            koppen.standard,
            koppen.gemeente_code,
            koppen.aanbieder_agb,
            clienten.client_pseudonym,
            toegewezen.toewijzing_nummer
        from {{ ref('stg_istandaarden__toegewezen_producten') }} as toegewezen
        inner join nieuw
            on toegewezen.file_id = nieuw.file_id
        inner join koppen
            on toegewezen.file_id = koppen.file_id
        inner join clienten
            on
                toegewezen.file_id = clienten.file_id
                and toegewezen.client_seq = clienten.client_seq
    )

    select
        standard,
        gemeente_code,
        aanbieder_agb,
        client_pseudonym
    from nieuwe_regels
    union
    select
        standard,
        gemeente_code,
        aanbieder_agb,
        client_pseudonym
    from nieuwe_toewijzingen
    union
    select
        regels.standard,
        regels.gemeente_code,
        regels.aanbieder_agb,
        regels.client_pseudonym
    from regels
    inner join nieuwe_regels as credits
        on
            regels.standard = credits.standard
            and regels.gemeente_code = credits.gemeente_code
            and regels.aanbieder_agb = credits.aanbieder_agb
            and regels.referentie_nummer = credits.vorig_referentie_nummer
    union
    select
        regels.standard,
        regels.gemeente_code,
        regels.aanbieder_agb,
        regels.client_pseudonym
    from regels
    inner join nieuwe_toewijzingen
        on
            regels.standard = nieuwe_toewijzingen.standard
            and regels.gemeente_code = nieuwe_toewijzingen.gemeente_code
            and regels.aanbieder_agb = nieuwe_toewijzingen.aanbieder_agb
            and regels.toewijzing_nummer = nieuwe_toewijzingen.toewijzing_nummer
{%- endmacro %}
