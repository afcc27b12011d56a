-- seeds/berichtsoort says a pair twice: the retour names the message it answers
-- (retour_op_message_type), the message names its retour (retour_message_type). Fails for every
-- row whose pair the other side does not repeat, within the same standard and release family.
with berichtsoort as (
    select * from {{ ref('berichtsoort') }}
),

pairs as (
    select
        standard,
        release_family,
        retour_op_message_type as heen,
        message_type as retour
    from berichtsoort
    where retour_op_message_type is not null
),

reverse_pairs as (
    select
        standard,
        release_family,
        message_type as heen,
        retour_message_type as retour
    from berichtsoort
    where retour_message_type is not null
)

select
    coalesce(pairs.standard, reverse_pairs.standard) as standard,
    coalesce(pairs.release_family, reverse_pairs.release_family) as release_family,
    coalesce(pairs.heen, reverse_pairs.heen) as heen,
    coalesce(pairs.retour, reverse_pairs.retour) as retour
from pairs
full outer join reverse_pairs
    on
        pairs.standard = reverse_pairs.standard
        and pairs.release_family = reverse_pairs.release_family
        and pairs.heen = reverse_pairs.heen
        and pairs.retour = reverse_pairs.retour
where pairs.heen is null or reverse_pairs.heen is null
