-- One row per gemeente, standard, period and form of care: the gemeente's own clients per
-- 1,000 (youth under 18 for Jeugd, inhabitants for Wmo) and share of its clients in that form,
-- next to CBS's for the gemeente, its jeugdregio, its size class and Nederland. Jeugdregio and
-- size class figures are CBS's gemeente figures combined, weighted by population. CBS's range
-- runs from the lowest to the highest of CBS's figures for the gemeente, each gemeente of its
-- jeugdregio and of its size class, and Nederland, each widened by CBS's rounding; the own rate
-- is within it up to the share var cbs_bereik_marge. The rows of the forms under the total show
-- where a difference with CBS comes from.
with eigen as (
    select * from {{ ref('eigen_clienten_periode') }}
),

cbs as (
    select * from {{ ref('cbs_vergelijkingscijfer') }}
),

gemeente_jaren as (
    select * from {{ ref('dim_gemeente_jaar') }}
),

-- today's gemeente in an earlier year: its own population and that of gemeenten merged into it
bevolking as (
    select
        huidige_gemeente_code as gemeente_code,
        jaar,
        sum(inwoners) as inwoners,
        sum(jongeren_tot_18) as jongeren_tot_18,
        string_agg(distinct inwoners_bron, ', ') as inwoners_bron,
        string_agg(distinct jongeren_tot_18_bron, ', ') as jongeren_tot_18_bron
    from gemeente_jaren
    group by huidige_gemeente_code, jaar
),

vormen as (
    select * from {{ ref('cbs_vormen') }}
),

-- The form whose clients CBS's headline rate counts, and the share of which forms are taken.
totalen as (
    select
        totaal.standard,
        totaal.vorm_code
    from (values ('ijw', 'JH'), ('iwmo', 'WMO')) as totaal (standard, vorm_code)
),

gemeente_perioden as (
    -- the periods CBS has a figure for, at the gemeente's level or Nederland's
    select distinct
        eigen.gemeente_code,
        eigen.standard,
        eigen.periode_type,
        eigen.periode_start,
        eigen.periode_eind,
        eigen.is_periode_volledig
    from eigen
    inner join totalen
        on eigen.standard = totalen.standard and eigen.vorm_code = totalen.vorm_code
    inner join cbs
        on
            eigen.standard = cbs.standard
            and eigen.periode_type = cbs.periode_type
            and eigen.periode_start = cbs.periode_start
            and (eigen.gemeente_code = cbs.gemeente_code or cbs.niveau = 'land')
),

cbs_gemeenten as (
    -- CBS's gemeente figures with the groups the gemeente belonged to that year
    select
        cbs.*,
        gemeente_jaren.jeugdregio_code,
        gemeente_jaren.grootteklasse_code
    from cbs
    left join gemeente_jaren
        on
            cbs.gemeente_code = gemeente_jaren.gemeente_code
            and extract(year from cbs.periode_start) = gemeente_jaren.jaar
    where cbs.niveau = 'gemeente'
),

per_jeugdregio as (
    select
        jeugdregio_code,
        standard,
        vorm_code,
        periode_type,
        periode_start,
        {{ weighted_mean('per_1000', 'noemer') }} as per_1000,
        {{ weighted_mean('aandeel', 'noemer') }} as aandeel,
        min(per_1000 - coalesce(marge_per_1000, 0)) as laagste_per_1000,
        max(per_1000 + coalesce(marge_per_1000, 0)) as hoogste_per_1000
    from cbs_gemeenten
    where jeugdregio_code is not null
    group by jeugdregio_code, standard, vorm_code, periode_type, periode_start
),

per_grootteklasse as (
    select
        grootteklasse_code,
        standard,
        vorm_code,
        periode_type,
        periode_start,
        {{ weighted_mean('per_1000', 'noemer') }} as per_1000,
        {{ weighted_mean('aandeel', 'noemer') }} as aandeel,
        min(per_1000 - coalesce(marge_per_1000, 0)) as laagste_per_1000,
        max(per_1000 + coalesce(marge_per_1000, 0)) as hoogste_per_1000,
        count(*) as gemeenten
    from cbs_gemeenten
    where grootteklasse_code is not null
    group by grootteklasse_code, standard, vorm_code, periode_type, periode_start
),

nederland as (
    select * from cbs
    where niveau = 'land'
),

spine as (
    select
        gemeente_perioden.*,
        vormen.vorm_code,
        vormen.omschrijving as vorm_omschrijving,
        vormen.met_verblijf,
        totalen.vorm_code as totaal_vorm_code,
        gemeente_jaren.gemeente_naam,
        gemeente_jaren.jeugdregio_code,
        gemeente_jaren.grootteklasse_code,
        case
            when gemeente_perioden.standard = 'ijw' then bevolking.jongeren_tot_18
            else bevolking.inwoners
        end as noemer,
        case
            when gemeente_perioden.standard = 'ijw' then bevolking.jongeren_tot_18_bron
            else bevolking.inwoners_bron
        end as noemer_bron
    from gemeente_perioden
    inner join vormen on gemeente_perioden.standard = vormen.standard
    inner join totalen on gemeente_perioden.standard = totalen.standard
    left join gemeente_jaren
        on
            gemeente_perioden.gemeente_code = gemeente_jaren.gemeente_code
            and extract(year from gemeente_perioden.periode_start) = gemeente_jaren.jaar
    left join bevolking
        on
            gemeente_perioden.gemeente_code = bevolking.gemeente_code
            and extract(year from gemeente_perioden.periode_start) = bevolking.jaar
),

joined as (
    select
        spine.*,
        totaal.clienten as eigen_clienten_totaal,
        cbs.per_1000 as cbs_gemeente_per_1000,
        cbs.marge_per_1000 as cbs_gemeente_marge_per_1000,
        cbs.aandeel as cbs_gemeente_aandeel,
        cbs.bron as cbs_bron,
        per_jeugdregio.per_1000 as cbs_jeugdregio_per_1000,
        per_jeugdregio.laagste_per_1000 as cbs_jeugdregio_laagste_per_1000,
        per_jeugdregio.hoogste_per_1000 as cbs_jeugdregio_hoogste_per_1000,
        per_grootteklasse.per_1000 as cbs_grootteklasse_per_1000,
        per_grootteklasse.laagste_per_1000 as cbs_grootteklasse_laagste_per_1000,
        per_grootteklasse.hoogste_per_1000 as cbs_grootteklasse_hoogste_per_1000,
        per_grootteklasse.gemeenten as cbs_grootteklasse_gemeenten,
        nederland.per_1000 as cbs_nederland_per_1000,
        nederland.marge_per_1000 as cbs_nederland_marge_per_1000,
        nederland.aandeel as cbs_nederland_aandeel,
        coalesce(eigen.clienten, 0) as eigen_clienten
    from spine
    left join eigen
        on
            spine.gemeente_code = eigen.gemeente_code
            and spine.standard = eigen.standard
            and spine.vorm_code = eigen.vorm_code
            and spine.periode_type = eigen.periode_type
            and spine.periode_start = eigen.periode_start
    left join eigen as totaal
        on
            spine.gemeente_code = totaal.gemeente_code
            and spine.standard = totaal.standard
            and spine.totaal_vorm_code = totaal.vorm_code
            and spine.periode_type = totaal.periode_type
            and spine.periode_start = totaal.periode_start
    left join cbs
        on
            cbs.niveau = 'gemeente'
            and spine.gemeente_code = cbs.gemeente_code
            and spine.standard = cbs.standard
            and spine.vorm_code = cbs.vorm_code
            and spine.periode_type = cbs.periode_type
            and spine.periode_start = cbs.periode_start
    left join per_jeugdregio
        on
            spine.jeugdregio_code = per_jeugdregio.jeugdregio_code
            and spine.standard = per_jeugdregio.standard
            and spine.vorm_code = per_jeugdregio.vorm_code
            and spine.periode_type = per_jeugdregio.periode_type
            and spine.periode_start = per_jeugdregio.periode_start
    left join per_grootteklasse
        on
            spine.grootteklasse_code = per_grootteklasse.grootteklasse_code
            and spine.standard = per_grootteklasse.standard
            and spine.vorm_code = per_grootteklasse.vorm_code
            and spine.periode_type = per_grootteklasse.periode_type
            and spine.periode_start = per_grootteklasse.periode_start
    left join nederland
        on
            spine.standard = nederland.standard
            and spine.vorm_code = nederland.vorm_code
            and spine.periode_type = nederland.periode_type
            and spine.periode_start = nederland.periode_start
),

rates as (
    select
        *,
        -- in double precision on both adapters (PostgreSQL would keep 1000.0 * n numeric)
        cast(1000 * eigen_clienten as double precision) / nullif(noemer, 0) as eigen_per_1000,
        cast(100 * eigen_clienten as double precision) / nullif(eigen_clienten_totaal, 0)
            as eigen_aandeel,
        least(
            cbs_gemeente_per_1000 - coalesce(cbs_gemeente_marge_per_1000, 0),
            cbs_jeugdregio_laagste_per_1000,
            cbs_grootteklasse_laagste_per_1000,
            cbs_nederland_per_1000 - coalesce(cbs_nederland_marge_per_1000, 0)
        ) as cbs_laagste_per_1000,
        greatest(
            cbs_gemeente_per_1000 + coalesce(cbs_gemeente_marge_per_1000, 0),
            cbs_jeugdregio_hoogste_per_1000,
            cbs_grootteklasse_hoogste_per_1000,
            cbs_nederland_per_1000 + coalesce(cbs_nederland_marge_per_1000, 0)
        ) as cbs_hoogste_per_1000
    from joined
),

final as (
    select
        {{ surrogate_key([
            'gemeente_code', 'standard', 'periode_type', 'periode_start', 'vorm_code'
        ]) }} as benchmark_id,
        gemeente_code,
        gemeente_naam,
        jeugdregio_code,
        grootteklasse_code,
        standard,
        periode_type,
        periode_start,
        periode_eind,
        is_periode_volledig,
        vorm_code,
        vorm_omschrijving,
        vorm_code = totaal_vorm_code as is_totaal,
        met_verblijf,
        cast(eigen_clienten as bigint) as eigen_clienten,
        cast(noemer as bigint) as noemer,
        noemer_bron,
        eigen_per_1000,
        eigen_aandeel,
        cbs_gemeente_per_1000,
        cbs_gemeente_aandeel,
        cbs_jeugdregio_per_1000,
        cbs_grootteklasse_per_1000,
        cbs_grootteklasse_gemeenten,
        cbs_nederland_per_1000,
        cbs_nederland_aandeel,
        cbs_laagste_per_1000,
        cbs_hoogste_per_1000,
        eigen_per_1000 - cbs_gemeente_per_1000 as verschil_per_1000,
        eigen_aandeel - cbs_gemeente_aandeel as verschil_aandeel,
        eigen_per_1000 between cbs_laagste_per_1000 * (1 - {{ var('cbs_bereik_marge') }})
        and cbs_hoogste_per_1000 * (1 + {{ var('cbs_bereik_marge') }}) as is_binnen_cbs_bereik,
        cbs_bron
    from rates
    where
        eigen_clienten > 0
        or coalesce(cbs_gemeente_per_1000, cbs_gemeente_aandeel, cbs_nederland_per_1000) is not null
)

select * from final
