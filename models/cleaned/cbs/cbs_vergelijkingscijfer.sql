-- One row per gemeente (as it is today) or Nederland, CBS period, standard and form of care:
-- CBS's clients per 1,000 (youth under 18 for Jeugd, inhabitants for Wmo) and the share of the
-- standard's clients in that form. Jeugd per 1,000 comes from 85098NED (82972NED before 2021);
-- a form's share from 85099NED's youth per VormenVanJeugdzorg, the share with verblijf from
-- 85098NED itself; a form's rate is the total rate times its share. Wmo comes from 86050NED by
-- TypeMaatwerkvoorziening, or from KWB for the total. Figures of gemeenten that merged later are
-- combined into their successor, weighted by population, so earlier years compare with today.
with cijfers as (
    select * from {{ ref('cbs_cijfers') }}
    where
        maat in (
            'jeugdhulp_pct', 'jeugdhulp_met_verblijf_pct', 'jeugdzorg_jongeren',
            'wmo_clienten_per_1000'
        )
        and niveau in ('gemeente', 'land')
        and periode_type in ('jaar', 'halfjaar', 'peildatum')
        and value is not null
),

vormen as (
    select * from {{ ref('cbs_vormen') }}
),

gemeente_jaren as (
    select * from {{ ref('gemeente_jaren') }}
),

categorie_titels as (
    select
        dimension,
        code,
        max(title) as title
    from {{ ref('stg_cbs__dimension_codes') }}
    group by dimension, code
),

perioden as (
    -- A KWB Peildatum, 1 January, stands for the year it opens.
    select
        table_id,
        reeks,
        niveau,
        gemeente_code,
        dimensions,
        maat,
        value,
        afronding,
        loaded_at,
        case when periode_type = 'peildatum' then 'jaar' else periode_type end as periode_type,
        case
            when periode_type = 'peildatum'
                then make_date(cast(extract(year from periode_start) as integer), 1, 1)
            else periode_start
        end as periode_start,
        case
            when periode_type = 'peildatum'
                then make_date(cast(extract(year from periode_start) as integer), 12, 31)
            else periode_eind
        end as periode_eind
    from cijfers
    where
        periode_type != 'peildatum'
        or (extract(month from periode_start) = 1 and extract(day from periode_start) = 1)
),

jeugd_totaal as (
    select
        niveau,
        gemeente_code,
        periode_type,
        periode_start,
        periode_eind,
        table_id,
        value * 10 as per_1000,
        afronding * 10 as marge
    from perioden
    where maat = 'jeugdhulp_pct'
),

jeugd_vorm_aantallen as (
    select
        perioden.niveau,
        perioden.gemeente_code,
        perioden.periode_type,
        perioden.periode_start,
        perioden.periode_eind,
        vormen.vorm_code,
        perioden.value as jongeren,
        perioden.table_id
    from perioden
    inner join vormen
        on
            vormen.standard = 'ijw'
            and {{ json_text('perioden.dimensions', 'VormenVanJeugdzorg') }} = vormen.cbs_code
    where perioden.maat = 'jeugdzorg_jongeren'
),

jeugd_aandeel_bronnen as (
    select
        vorm.niveau,
        vorm.gemeente_code,
        vorm.periode_type,
        vorm.periode_start,
        vorm.periode_eind,
        vorm.vorm_code,
        100 * vorm.jongeren / nullif(totaal.jongeren, 0) as aandeel,
        0 as aandeel_marge,
        vorm.table_id,
        2 as voorrang
    from jeugd_vorm_aantallen as vorm
    inner join jeugd_vorm_aantallen as totaal
        on
            vorm.niveau = totaal.niveau
            and vorm.gemeente_code is not distinct from totaal.gemeente_code
            and vorm.periode_type = totaal.periode_type
            and vorm.periode_start = totaal.periode_start
            and totaal.vorm_code = 'JH'
    union all
    -- 85098NED's own share with verblijf wins over the one derived from 85099NED
    select
        niveau,
        gemeente_code,
        periode_type,
        periode_start,
        periode_eind,
        'JH_MV' as vorm_code,
        value as aandeel,
        afronding as aandeel_marge,
        table_id,
        1 as voorrang
    from perioden
    where maat = 'jeugdhulp_met_verblijf_pct'
),

jeugd_aandelen as (
    select *
    from (
        select
            *,
            row_number() over (
                partition by niveau, gemeente_code, periode_type, periode_start, vorm_code
                order by voorrang
            ) as rang
        from jeugd_aandeel_bronnen
    ) as gerangschikt
    where rang = 1
),

jeugd as (
    select
        totaal.niveau,
        totaal.gemeente_code,
        totaal.periode_type,
        totaal.periode_start,
        totaal.periode_eind,
        'ijw' as standard,
        'JH' as vorm_code,
        totaal.per_1000,
        totaal.marge,
        100.0 as aandeel,
        totaal.table_id as bron
    from jeugd_totaal as totaal
    union all
    select
        aandelen.niveau,
        aandelen.gemeente_code,
        aandelen.periode_type,
        aandelen.periode_start,
        aandelen.periode_eind,
        'ijw' as standard,
        aandelen.vorm_code,
        totaal.per_1000 * aandelen.aandeel / 100 as per_1000,
        (totaal.marge * aandelen.aandeel + totaal.per_1000 * aandelen.aandeel_marge) / 100
            as marge,
        aandelen.aandeel,
        concat_ws('+', totaal.table_id, aandelen.table_id) as bron
    from jeugd_aandelen as aandelen
    left join jeugd_totaal as totaal
        on
            aandelen.niveau = totaal.niveau
            and aandelen.gemeente_code is not distinct from totaal.gemeente_code
            and aandelen.periode_type = totaal.periode_type
            and aandelen.periode_start = totaal.periode_start
    where aandelen.vorm_code != 'JH'
),

wmo_per_vorm as (
    select *
    from (
        select
            *,
            row_number() over (
                partition by niveau, gemeente_code, periode_type, periode_start, vorm_code
                order by is_maatwerk desc, loaded_at desc
            ) as rang
        from (
            -- 86050NED by TypeMaatwerkvoorziening (titles: its keys are not documented) before KWB.
            select
                perioden.niveau,
                perioden.gemeente_code,
                perioden.periode_type,
                perioden.periode_start,
                perioden.periode_eind,
                perioden.value as per_1000,
                perioden.afronding as marge,
                perioden.table_id,
                perioden.reeks = 'wmo_maatwerk' as is_maatwerk,
                perioden.loaded_at,
                coalesce(
                    vormen.vorm_code,
                    case
                        when
                            {{ json_text('perioden.dimensions', 'TypeMaatwerkvoorziening') }}
                            is null
                            then 'WMO'
                    end
                ) as vorm_code
            from perioden
            left join categorie_titels
                on
                    categorie_titels.dimension = 'TypeMaatwerkvoorziening'
                    and {{ json_text('perioden.dimensions', 'TypeMaatwerkvoorziening') }}
                    = categorie_titels.code
            left join vormen
                on
                    vormen.standard = 'iwmo'
                    and lower(categorie_titels.title) = lower(vormen.cbs_titel)
            where perioden.maat = 'wmo_clienten_per_1000'
        ) as per_vorm
    ) as gerangschikt
    where rang = 1
),

wmo as (
    select
        vorm.niveau,
        vorm.gemeente_code,
        vorm.periode_type,
        vorm.periode_start,
        vorm.periode_eind,
        'iwmo' as standard,
        vorm.vorm_code,
        vorm.per_1000,
        vorm.marge,
        100 * vorm.per_1000 / nullif(totaal.per_1000, 0) as aandeel,
        vorm.table_id as bron
    from wmo_per_vorm as vorm
    left join wmo_per_vorm as totaal
        on
            vorm.niveau = totaal.niveau
            and vorm.gemeente_code is not distinct from totaal.gemeente_code
            and vorm.periode_type = totaal.periode_type
            and vorm.periode_start = totaal.periode_start
            and totaal.vorm_code = 'WMO'
    where vorm.vorm_code is not null
),

figures as (
    select * from jeugd
    union all
    select * from wmo
),

gewicht as (
    -- the base a gemeente's rate stands on, to weigh it when gemeenten are combined
    select
        figures.*,
        coalesce(gemeente_jaren.huidige_gemeente_code, figures.gemeente_code)
            as huidige_gemeente_code,
        case
            when figures.standard = 'ijw' then gemeente_jaren.jongeren_tot_18
            else gemeente_jaren.inwoners
        end as noemer
    from figures
    left join gemeente_jaren
        on
            figures.gemeente_code = gemeente_jaren.gemeente_code
            and extract(year from figures.periode_start) = gemeente_jaren.jaar
),

gewogen as (
    -- today's gemeente: its own figure and those of gemeenten that merged into it later
    select
        niveau,
        huidige_gemeente_code as gemeente_code,
        periode_type,
        periode_start,
        periode_eind,
        standard,
        vorm_code,
        {{ weighted_mean('per_1000', 'noemer') }} as per_1000,
        {{ weighted_mean('marge', 'noemer') }} as marge_per_1000,
        {{ weighted_mean('aandeel', 'noemer') }} as aandeel,
        sum(noemer) as noemer,
        string_agg(distinct bron, ', ' order by bron) as bron,
        count(distinct gemeente_code) as gemeenten
    from gewicht
    group by
        niveau,
        huidige_gemeente_code,
        periode_type,
        periode_start,
        periode_eind,
        standard,
        vorm_code
),

final as (
    select
        niveau,
        gemeente_code,
        periode_type,
        periode_start,
        periode_eind,
        standard,
        vorm_code,
        per_1000,
        marge_per_1000,
        aandeel,
        cast(noemer as bigint) as noemer,
        bron,
        gemeenten
    from gewogen
)

select * from final
