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
    # Per standard and release family, the seed's types are those some release's layout reads.
    loaded: dict[tuple[str, str], set[str]] = {}
    for (standard, release), layout in SUPPORTED_RELEASES.items():
        with_layout = {t for (key, t) in LAYOUTS if key == layout}
        in_seed = {t for (s, f, t) in BERICHTSOORTEN if (s, f) == (standard, release[0])}
        assert with_layout <= in_seed, (standard, release)
        loaded.setdefault((standard, release[0]), set()).update(with_layout)
    assert {
        (s, f): {t for (s2, f2, t) in BERICHTSOORTEN if (s2, f2) == (s, f)} for s, f in loaded
    } == (loaded)
    assert {(s, f) for (s, f, _) in BERICHTSOORTEN} == set(loaded)


def test_a_kind_carries_its_seed_row():
    jw325 = MessageKind("ijw", "3.1", "325")
    assert (jw325.bericht_code, jw325.soort.retour_op_message_type) == ("491", "323")
    assert not jw325.soort.herhaalt_heenbericht
    # iWmo 2.0 uses the codes of 3.x; a type the warehouse does not load has no row.
    assert MessageKind("iwmo", "2.0", "301").bericht_code == BERICHT_CODES[("iwmo", "301")]
    assert MessageKind("iwmo", "3.2", "399").soort is None
    # iWmo 2.0 302 has a seed row (2.3 has the retour) but no layout: not loaded.
    assert (MessageKind("iwmo", "2.0", "302").layout, MessageKind("iwmo", "2.3", "302").layout) == (
        "2.0",
        "2.3",
    )
    assert ("2.0", "302") not in LAYOUTS


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
        key = {"3": "3", "2": "2.3"}[family]  # iWmo 2.0: no retours published
        for retour, heen in retours_repeating_heen(family).items():
            layout, of_heen = LAYOUTS[(key, retour)], LAYOUTS[(key, heen)]
            assert [r.table for r in layout.client_records] == [
                r.table for r in of_heen.client_records
            ]
            assert not layout.clients_required
