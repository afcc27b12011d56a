"""The CBS models on loaded files: editions matched, pages made whole, periods typed, herindelingen
followed, populations found. The files are the real Almere export (when ../shared is there) and
small ones written here in the formats cbs.md describes.

Real values: 85098NED 2022 for Almere, Groningen and Ameland as printed in cbsodataR's vignette
(cbs.md §3.5); Almere's KWB rows from the shared export. Other figures are made up and say so.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from conftest import shared_dir

from sdw.build import run_dbt
from sdw.cbs.load import ingest_cbs
from sdw.config import Settings, settings

ALMERE = shared_dir() / "cbs" / "kwb_almere_2018_2025_statline_export.csv"
V4 = "https://datasets.cbs.nl/odata/v1/CBS/85098NED"
V3 = "https://opendata.cbs.nl/ODataFeed/OData/85098NED/$metadata#Cbs.OData.WebAPI.UntypedDataSet"


def _untyped_pages(folder: Path) -> None:
    """85098NED 2022 over two feed pages; the second offers Almere's row again."""

    def row(n: int, regio: str, cells: tuple[str, ...]) -> dict:
        keys = ("JongerenMetJeugdhulpInNatura_1", "JongerenMetJeugdhMetVerblInNat_2",
                "JongerenMetJeugdbescherming_3", "JeugdbeschEnJeugdhMetVerblInNat_4",
                "JongerenMetJeugdreclassering_5")  # fmt: skip
        return {"ID": n, "RegioS": f"{regio:<10}", "Perioden": "2022JJ00",
                **{k: f"{c:>8}" for k, c in zip(keys, cells, strict=True)}}  # fmt: skip

    almere = row(0, "GM0034", ("12.9", "7.9", "1.3", "41.7", "0.5"))
    groningen = row(1, "GM0014", ("15.4", "9.5", "1.4", "46.1", "0.4"))
    ameland = row(2, "GM0060", ("7.9", ".", ".", ".", "."))
    first = {"odata.metadata": V3, "value": [almere, groningen],
             "odata.nextLink": f"{V3.split('$metadata')[0]}UntypedDataSet?$skip=2"}  # fmt: skip
    (folder / "page1.json").write_text(json.dumps(first))
    (folder / "page2.json").write_text(
        json.dumps({"odata.metadata": V3, "value": [almere, ameland]})
    )


def _v4_pages(folder: Path) -> None:
    """Made-up 85098NED figures in OData v4 for Weesp and Amsterdam around their 2022 merger.

    The measure is a code; only its title (MeasureCodes) says it is jeugdhulp_pct."""
    observations = [
        {"Id": 0, "Measure": "M004321_1", "ValueAttribute": "None", "Value": 10.0,
         "RegioS": "GM0457", "Perioden": "2021JJ00"},
        {"Id": 1, "Measure": "M004321_1", "ValueAttribute": "None", "Value": 13.0,
         "RegioS": "GM0363", "Perioden": "2021JJ00"},
        {"Id": 2, "Measure": "M004321_1", "ValueAttribute": "None", "Value": 12.5,
         "RegioS": "GM0363", "Perioden": "2022JJ00"},
        {"Id": 3, "Measure": "M004321_1", "ValueAttribute": "None", "Value": 13.3,
         "RegioS": "NL01", "Perioden": "2021JJ00"},
    ]  # fmt: skip
    measures = [{"Identifier": "M004321_1", "Title": "Jongeren met jeugdhulp in natura",
                 "Unit": "%", "Decimals": 1}]  # fmt: skip
    (folder / "observations.json").write_text(
        json.dumps({"@odata.context": f"{V4}/$metadata#Observations", "value": observations})
    )
    (folder / "measurecodes.json").write_text(
        json.dumps({"@odata.context": f"{V4}/$metadata#MeasureCodes", "value": measures})
    )


def _population_dump(folder: Path) -> None:
    """A cbsodata folder of 03759ned with made-up populations of Weesp and Amsterdam in 2021.

    Leeftijd keys are this test's own (CBS's were not verified); the ages come from the titles.
    Weesp: 250 youth per single year 0-15 and 0 for 16-17 (4,000 under 18); Amsterdam: 150,000.
    """
    folder.mkdir(parents=True)
    ages = {f"L{age:02d}": f"{age} jaar" for age in range(0, 100)}
    rows = []
    for regio, total, youth in (
        ("GM0457", 20_000, [250] * 16 + [0, 0]),
        ("GM0363", 880_000, [150_000 // 18] * 17 + [150_000 - 17 * 8333]),
    ):
        for key, value in [("LT", total), *((f"L{a:02d}", v) for a, v in enumerate(youth))]:
            rows.append({"ID": len(rows), "Geslacht": "T001038   ", "Leeftijd": key,
                         "BurgerlijkeStaat": "T001019 ", "RegioS": f"{regio}    ",
                         "Perioden": "2021JJ00", "BevolkingOp1Januari_1": value,
                         "GemiddeldeBevolking_2": None})  # fmt: skip
        rows.append({**rows[-1], "ID": len(rows), "Geslacht": "3000      ",
                     "BevolkingOp1Januari_1": 1})  # a man: not in the totals  # fmt: skip
    collections = {
        "TableInfos": [{"Identifier": "03759ned", "Title": "Bevolking op 1 januari en gemiddeld",
                        "Modified": "2025-06-30T02:00:00"}],
        "DataProperties": [
            *({"ID": i, "Type": t, "Key": k, "Title": k} for i, (t, k) in enumerate(
                [("Dimension", "Geslacht"), ("Dimension", "Leeftijd"),
                 ("Dimension", "BurgerlijkeStaat"), ("GeoDimension", "RegioS"),
                 ("TimeDimension", "Perioden")])),
            {"ID": 5, "Type": "Topic", "Key": "BevolkingOp1Januari_1",
             "Title": "Bevolking op 1 januari", "Decimals": 0},
            {"ID": 6, "Type": "Topic", "Key": "GemiddeldeBevolking_2",
             "Title": "Gemiddelde bevolking", "Decimals": 0},
        ],
        "Leeftijd": [{"Key": "LT", "Title": "Totaal"},
                     *({"Key": k, "Title": t} for k, t in ages.items())],
        "TypedDataSet": rows,
    }  # fmt: skip
    for name, values in collections.items():
        (folder / f"{name}.json").write_text(json.dumps(values))


def _gebieden_dump(folder: Path) -> None:
    """Gebieden in Nederland 2020 (84721NED) for Arnhem, as cbsodata writes it: Code_n / Naam_n+1
    text pairs per indeling. Arnhem in JZ28 is cbs.md's; the jeugdregio's name and the key
    numbers are this test's own."""
    folder.mkdir(parents=True)
    topics = ["Code_1", "Naam_2", "Code_3", "Naam_4", "Code_5", "Naam_6"]
    collections = {
        "TableInfos": [{"Identifier": "84721NED", "Title": "Gebieden in Nederland 2020"}],
        "DataProperties": [
            {"ID": 0, "Type": "GeoDimension", "Key": "RegioS"},
            *({"ID": i, "Type": "Topic", "Key": k, "Datatype": "String"}
              for i, k in enumerate(topics, start=1)),
        ],
        "TypedDataSet": [
            {"ID": 0, "RegioS": "GM0202    ", "Code_1": "GM0202    ", "Naam_2": "Arnhem    ",
             "Code_3": "PV25  ", "Naam_4": "Gelderland   ", "Code_5": "JZ28  ",
             "Naam_6": "Jeugdregio van de test     "},
        ],
    }  # fmt: skip
    for name, values in collections.items():
        (folder / f"{name}.json").write_text(json.dumps(values))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """One warehouse with every file loaded and the CBS models built from them."""
    folder = tmp_path_factory.mktemp("cbs_models")
    for sub in ("feed", "v4"):
        (folder / sub).mkdir()
    _untyped_pages(folder / "feed")
    _v4_pages(folder / "v4")
    _population_dump(folder / "dump" / "03759ned")
    _gebieden_dump(folder / "dump" / "84721NED")
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("SDW_WAREHOUSE", str(folder / "sdw.duckdb"))
        monkeypatch.setenv("SDW_QUARANTINE", str(folder / "quarantine"))
        config = settings()
        paths = [folder / "feed", folder / "v4", folder / "dump", *[ALMERE][: ALMERE.is_file()]]
        report = ingest_cbs(paths, config)
        assert report.quarantined == 0, report.quarantine_reasons
        # cautious: no tests of seeds outside the selection (the crosswalk's relationships)
        run_dbt(
            config, "build",
            "--select", "+cbs_vergelijkingscijfer", "fct_cbs_cijfer", "dim_gemeente_jaar",
            "--indirect-selection", "cautious",
        )  # fmt: skip
        yield config


def query(config: Settings, sql: str) -> list[tuple]:
    with duckdb.connect(str(config.warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_overlapping_pages_give_each_figure_once(built: Settings) -> None:
    assert query(
        built,
        "select count(*) from raw.cbs_observations where region_code = 'GM0034' "
        "and measure_key = 'JongerenMetJeugdhulpInNatura_1'",
    ) == [(2,)]  # offered by both pages
    assert query(
        built,
        "select region_code, maat, value, missing_reason from marts.fct_cbs_cijfer "
        "where region_code in ('GM0034', 'GM0014', 'GM0060') and periode_code = '2022JJ00' "
        "and maat in ('jeugdhulp_pct', 'jeugdhulp_met_verblijf_pct') order by 1, 2",
    ) == [
        ("GM0014", "jeugdhulp_met_verblijf_pct", 9.5, None),
        ("GM0014", "jeugdhulp_pct", 15.4, None),
        ("GM0034", "jeugdhulp_met_verblijf_pct", 7.9, None),
        ("GM0034", "jeugdhulp_pct", 12.9, None),
        (
            "GM0060",
            "jeugdhulp_met_verblijf_pct",
            None,
            "onbekend, onvoldoende betrouwbaar of geheim",
        ),
        ("GM0060", "jeugdhulp_pct", 7.9, None),
    ]


def test_periods_are_typed(built: Settings) -> None:
    rows = query(
        built,
        "select distinct periode_code, periode_type, periode_start, periode_eind "
        "from marts.fct_cbs_cijfer where periode_code in ('2021JJ00', '1-1-2025') order by 1",
    )
    expected = [("2021JJ00", "jaar", "2021-01-01", "2021-12-31")]
    if ALMERE.is_file():
        expected.insert(0, ("1-1-2025", "peildatum", "2025-01-01", "2025-01-01"))
    assert [(c, t, str(s), str(e)) for c, t, s, e in rows] == expected


def test_v4_measure_codes_are_matched_by_title(built: Settings) -> None:
    assert query(
        built,
        "select region_code, measure_key, measure_title, maat, value, afronding "
        "from marts.fct_cbs_cijfer where measure_key = 'M004321_1' and periode_code = '2021JJ00' "
        "order by 1",
    ) == [
        ("GM0363", "M004321_1", "Jongeren met jeugdhulp in natura", "jeugdhulp_pct", 13.0, 0.05),
        ("GM0457", "M004321_1", "Jongeren met jeugdhulp in natura", "jeugdhulp_pct", 10.0, 0.05),
        ("NL01", "M004321_1", "Jongeren met jeugdhulp in natura", "jeugdhulp_pct", 13.3, 0.05),
    ]


@pytest.mark.skipif(not ALMERE.is_file(), reason=f"real CBS export not found at {ALMERE}")
def test_kwb_editions_are_matched_on_the_key_without_its_number(built: Settings) -> None:
    # Almere's WmoClienten in the shared export, each year under its edition's key.
    assert query(
        built,
        "select extract(year from periode_start), measure_key, value from marts.fct_cbs_cijfer "
        "where region_code = 'GM0034' and maat = 'wmo_clienten' order by 1",
    ) == [
        (2018, "WmoClienten_86", 10820.0),
        (2019, "WmoClienten_89", 11440.0),
        (2020, "WmoClienten_89", 11980.0),
        (2021, "WmoClienten_89", 12045.0),
        (2022, "WmoClienten_89", 11940.0),
        (2023, "WmoClienten_98", 9375.0),
        (2024, "WmoClienten_93", 9515.0),
    ]
    # Wijken and buurten are matched too: WK003401 has inhabitants in 2025 (1,810).
    assert query(
        built,
        "select niveau, value from marts.fct_cbs_cijfer where region_code = 'WK003401' "
        "and periode_code = '1-1-2025' and maat = 'inwoners'",
    ) == [("wijk", 1810.0)]
    # 1-1-2025: 229,574 inhabitants (size class 150,000-250,000); youth under 18 estimated from
    # 0-14 (41,399) and three tenths of 15-24 (28,014), KWB having no 0-17 band.
    assert query(
        built,
        "select gemeente_naam, inwoners, inwoners_bron, grootteklasse_code, jongeren_tot_18, "
        "jongeren_tot_18_bron from marts.dim_gemeente_jaar where gemeente_code = '0034' "
        "and jaar = 2025",
    ) == [("Almere", 229_574, "kwb", "GK7", round(41_399 + 0.3 * 28_014), "kwb_schatting")]


def test_merged_gemeenten_live_on_in_their_successor(built: Settings) -> None:
    assert query(
        built,
        "select gemeente_code, huidige_gemeente_code from marts.fct_cbs_cijfer "
        "where region_code in ('GM0457', 'GM0363') and periode_code = '2021JJ00' "
        "and maat = 'jeugdhulp_pct' order by 1",
    ) == [("0363", "0363"), ("0457", "0363")]
    # 03759ned's single years 0-17 (from the Leeftijd titles), totals of Geslacht only.
    assert query(
        built,
        "select gemeente_code, gemeente_naam, inwoners, jongeren_tot_18, jongeren_tot_18_bron, "
        "huidige_gemeente_code from marts.dim_gemeente_jaar "
        "where jaar = 2021 and gemeente_code in ('0457', '0363') order by 1",
    ) == [
        ("0363", "Amsterdam", 880_000, 150_000, "03759ned", "0363"),
        ("0457", "Weesp", 20_000, 4_000, "03759ned", "0363"),
    ]
    # Amsterdam as it is today, in 2021: Weesp's 10.0 % and Amsterdam's 13.0 % of youth,
    # weighted by their youth (4,000 and 150,000). Nederland stays as CBS gives it.
    rows = query(
        built,
        "select niveau, gemeente_code, round(per_1000, 2), noemer, gemeenten, bron "
        "from cleaned.cbs_vergelijkingscijfer where standard = 'ijw' and vorm_code = 'JH' "
        "and periode_start = '2021-01-01' order by 1",
    )
    assert rows == [
        ("gemeente", "0363", round((100 * 4_000 + 130 * 150_000) / 154_000, 2), 154_000, 2,
         "85098NED"),
        ("land", None, 133.0, None, 0, "85098NED"),
    ]  # fmt: skip


def test_gebieden_in_nederland_gives_the_jeugdregio(built: Settings) -> None:
    # The table has no Perioden: its year is the edition's (seed cbs_tabellen, 84721NED: 2020).
    assert query(
        built,
        "select gemeente_naam, jeugdregio_code, jeugdregio_naam from marts.dim_gemeente_jaar "
        "where gemeente_code = '0202' and jaar = 2020",
    ) == [("Arnhem", "JZ28", "Jeugdregio van de test")]
