"""seeds/berichtsoort.csv is the one list of message kinds: the parser loads exactly its rows,
and what a retour answers and repeats follows from it."""

from sdw.messages.layout import LAYOUTS
from sdw.messages.standards import (
    BERICHT_CODES,
    BERICHTSOORTEN,
    SUPPORTED_RELEASES,
    MessageKind,
    retours_repeating_heen,
)


def test_the_seed_lists_exactly_the_kinds_the_parser_loads():
    for standard, release in SUPPORTED_RELEASES:
        family = release.partition(".")[0]
        in_seed = {t for (s, f, t) in BERICHTSOORTEN if (s, f) == (standard, family)}
        with_layout = {t for (f, t) in LAYOUTS if f == family}
        assert in_seed == with_layout, (standard, release)
    supported = {(s, r.partition(".")[0]) for s, r in SUPPORTED_RELEASES}
    assert {(s, f) for (s, f, _) in BERICHTSOORTEN} == supported


def test_a_kind_carries_its_seed_row():
    jw325 = MessageKind("ijw", "3.1", "325")
    assert (jw325.bericht_code, jw325.soort.retour_op_message_type) == ("491", "323")
    assert not jw325.soort.herhaalt_heenbericht
    # iWmo 2.0 uses the codes of 3.x; a type the warehouse does not load has no row.
    assert MessageKind("iwmo", "2.0", "301").bericht_code == BERICHT_CODES[("iwmo", "301")]
    assert MessageKind("iwmo", "2.0", "302").soort is None


def test_retours_share_the_layout_of_the_message_they_answer():
    assert retours_repeating_heen("3") == {
        "302": "301", "306": "305", "308": "307", "316": "315", "318": "317", "320": "319",
    }  # fmt: skip
    for family in {f for _, f, _ in BERICHTSOORTEN}:
        # One layout per family serves every standard, so the standards agree on the pairs.
        pairs = {s.standard: set() for s in BERICHTSOORTEN.values() if s.release_family == family}
        for s in BERICHTSOORTEN.values():
            if s.release_family == family and s.herhaalt_heenbericht:
                pairs[s.standard].add((s.message_type, s.retour_op_message_type))
        assert len({frozenset(p) for p in pairs.values()}) == 1, family
        for retour, heen in retours_repeating_heen(family).items():
            layout, of_heen = LAYOUTS[(family, retour)], LAYOUTS[(family, heen)]
            assert [r.table for r in layout.client_records] == [
                r.table for r in of_heen.client_records
            ]
            assert not layout.clients_required
