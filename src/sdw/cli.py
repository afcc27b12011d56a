"""`sdw`: the warehouse's command line. Errors are one line and a non-zero exit."""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from sdw.config import Settings, settings
from sdw.warehouse import TARGETS

if TYPE_CHECKING:
    from sdw.files import LoadReport

# A load of a year's inbox can quarantine hundreds of files; the summary names the first few.
LISTED_SHOWN = 20


def _demo_data(args: argparse.Namespace) -> None:
    from sdw.demo.generator import DEFAULT_DEFECT_RATE, write_demo

    overall = [rate for kind, rate in args.defect_rate if kind is None]
    started = time.perf_counter()
    summary = write_demo(
        args.out,
        seed=args.seed,
        inwoners=args.inwoners,
        gemeenten=args.gemeenten,
        years=args.years,
        defect_rates={kind: rate for kind, rate in args.defect_rate if kind is not None},
        defect_rate=overall[-1] if overall else DEFAULT_DEFECT_RATE,
    )
    seconds = time.perf_counter() - started
    counts = summary["counts"]
    codes = ", ".join(g["gemeente_code"] for g in summary["gemeenten"][:5])
    more = "..." if len(summary["gemeenten"]) > 5 else ""
    print(
        f"demo gemeenten {codes}{more}: {counts['files']} message files, "
        f"{counts['product_lines']} product lines ({counts['product_lines'] / seconds:,.0f}/s), "
        f"{sum(counts['defects'].values())} planted defects -> {args.out} "
        f"(inbox/, cbs/, budget/, ground_truth.json) in {seconds:.1f}s"
    )


def _years(value: str) -> tuple[int, int]:
    """`2023-2025` or `2025`."""
    first, _, last = value.partition("-")
    try:
        years = int(first), int(last or first)
    except ValueError:
        raise argparse.ArgumentTypeError(f"years as 2023-2025 or 2025, got {value!r}") from None
    if years[0] > years[1]:
        raise argparse.ArgumentTypeError(f"the first year comes first, got {value!r}")
    return years


def _defect_rate(value: str) -> tuple[str | None, float]:
    """`0.02` (every defect type) or `malformed_xml=0.005` (one type)."""
    kind, _, rate = value.rpartition("=")
    try:
        return kind or None, float(rate)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"a rate such as 0.01 or TYPE=0.01, got {value!r}"
        ) from None


def _ingest_settings(args: argparse.Namespace) -> Settings:
    config = settings()
    return replace(config, follow_symlinks=True) if args.follow_symlinks else config


def _print_load(report: LoadReport, counts: str) -> None:
    """The load's counts, then the files quarantined and the entries not read, with why."""
    from sdw.status import printable

    print(
        f"{report.loaded} loaded, {report.quarantined} quarantined, {report.duplicate} duplicate, "
        f"{report.skipped} already loaded, {len(report.not_read)} not read; {counts}"
    )
    for what, entries, more in (
        ("quarantined", report.quarantine_reasons, "`sdw status` lists them all"),
        ("not read", report.not_read, "they are tried again on the next load"),
    ):
        for path, reason in entries[:LISTED_SHOWN]:
            print(f"  {what} {printable(path)}: {printable(reason)}")
        if len(entries) > LISTED_SHOWN:
            print(f"  ... and {len(entries) - LISTED_SHOWN} more {what} ({more})")


def _ingest_messages(args: argparse.Namespace) -> None:
    from sdw.messages.load import ingest_messages, print_progress, warn_demo_key

    config = _ingest_settings(args)
    warn_demo_key(config)
    report = ingest_messages(args.paths, config, progress=print_progress)
    seconds = report.seconds or 1.0
    _print_load(
        report,
        f"{report.messages} messages, {report.products} product lines in {report.seconds:.1f}s "
        f"({report.messages / seconds:,.0f} messages/s, {report.products / seconds:,.0f} lines/s)",
    )


def _ingest_cbs(args: argparse.Namespace) -> None:
    from sdw.cbs.load import ingest_cbs

    report = ingest_cbs(args.paths, _ingest_settings(args))
    _print_load(report, f"{report.observations} observations")


def _ingest_budget(args: argparse.Namespace) -> None:
    from sdw.budget.load import ingest_budget

    report = ingest_budget(args.paths, _ingest_settings(args))
    _print_load(report, f"{report.rows} rows")


def _ingest_doelen(args: argparse.Namespace) -> None:
    from sdw.doelen.load import ingest_doelen

    report = ingest_doelen(args.paths, _ingest_settings(args))
    _print_load(report, f"{report.rows} rows, {report.lines_quarantined} lines left out")


def _fetch_cbs(args: argparse.Namespace) -> None:
    from sdw.cbs.fetch import fetch_tables

    for fetched in fetch_tables(args.table_ids, args.out, filters=args.filter, select=args.select):
        print(f"{fetched.table_id}: {fetched.rows} rows -> {fetched.folder}")
    print(f"load them with: sdw ingest cbs {args.out}")


def _build(args: argparse.Namespace) -> None:
    from sdw.build import build

    report = build(settings())
    print(f"quality: {report.finding_count} findings; Data Docs in {report.data_docs}")


def _run(args: argparse.Namespace) -> None:
    from sdw.pipeline import run_pipeline
    from sdw.status import status_lines

    config = settings()
    run_pipeline(config)
    print("\n".join(status_lines(config, list_quarantined=False)))


def _status(args: argparse.Namespace) -> None:
    from sdw.status import status_lines

    print("\n".join(status_lines(settings())))


def _export_aanbieder(args: argparse.Namespace) -> None:
    from sdw.account_pack import export_aanbieder

    target = export_aanbieder(settings(), args.agb, args.out)
    print(f"account-meeting workbook for aanbieder {args.agb} written to {target}")


def _export_parquet(args: argparse.Namespace) -> None:
    from sdw.export import export_parquet

    manifest = export_parquet(settings(), args.out, person_level=args.person_level)
    if args.person_level:
        print(
            f"NOT FOR SHARING: {len(manifest['files'])} marts written to {args.out} with "
            "person-level rows (pseudonyms, birth years, postcodes), unsuppressed; for engineers"
        )
        return
    suppressed = sum(entry["rows_with_suppressed_cells"] for entry in manifest["files"])
    print(
        f"{len(manifest['files'])} shareable marts written to {args.out} (manifest.json); "
        f"{suppressed} rows lost cells (below {manifest['small_cell_threshold']}, or giving "
        "one away)"
    )


def _rekey(args: argparse.Namespace) -> None:
    from sdw.messages.key import describe, rekey

    if not args.confirm:
        raise ValueError(
            "rekey drops every loaded message (pseudonyms cannot be converted to another key) "
            "so that they are loaded again with the current key; run `sdw rekey --confirm`"
        )
    report = rekey(settings())
    print(
        f"pseudonym key now {describe(report.fingerprint)} (was "
        f"{describe(report.previous) if report.previous else 'not recorded'}); "
        f"{report.files_forgotten} message files forgotten, "
        f"{len(report.tables_dropped)} incremental models dropped. Load the messages again "
        "(`sdw ingest messages PATH...` or `sdw run`) and build."
    )


def _rapport(args: argparse.Namespace) -> None:
    from sdw.rapport import rapport

    result = rapport(settings(), args.gemeente, args.periode, args.out, pdf=not args.no_pdf)
    written = f"{result.html}" + (f" and {result.pdf}" if result.pdf else "")
    print(
        f"report on {result.gemeente_naam} {args.periode} written to {written}; "
        f"{result.duidingen} duiding(en), {result.onderdrukt} cells blanked"
    )


def _dashboard(args: argparse.Namespace) -> None:
    from sdw.dashboard import serve

    serve(settings().warehouse, host=args.host, port=args.port)


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="sdw",
        description="Sociaal-domein warehouse: iWmo/iJw messages and CBS figures to marts.",
        epilog="Configuration: SDW_WAREHOUSE, SDW_PSEUDONYM_KEY, SDW_INBOX (see README).",
    )
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    demo = commands.add_parser(
        "demo-data", help="write demo gemeenten' message traffic, CBS files, budgets, ground truth",
        description="Write demo gemeenten' iWmo/iJw message traffic, CBS StatLine extracts and "
        "budgets, deterministically for a seed, with ground_truth.json listing every planted "
        "defect.",
    )  # fmt: skip
    demo.add_argument("--out", type=Path, required=True, help="folder to write into")
    demo.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    demo.add_argument(
        "--inwoners", type=int, default=20_000,
        help="inhabitants of all gemeenten together (default 20000)",
    )  # fmt: skip
    demo.add_argument("--gemeenten", type=int, default=1, help="number of gemeenten (default 1)")
    demo.add_argument(
        "--years", type=_years, default=(2024, 2025), metavar="FIRST-LAST",
        help="years of traffic, e.g. 2023-2025 (default 2024-2025)",
    )  # fmt: skip
    demo.add_argument(
        "--defect-rate", type=_defect_rate, action="append", default=[], metavar="[TYPE=]RATE",
        help="rate of every planted defect (default 0.01), or of one type, e.g. "
        "malformed_xml=0.002; repeatable",
    )  # fmt: skip
    demo.set_defaults(handler=_demo_data)

    ingest = commands.add_parser("ingest", help="load files into the raw layer")
    kinds = ingest.add_subparsers(dest="kind", required=True, metavar="KIND")
    messages = kinds.add_parser(
        "messages", help="load iWmo/iJw message files, folders and zip archives",
        description="Load iWmo/iJw XML messages (files, folders recursively, zip archives) "
        "into raw. Files that cannot be loaded are quarantined with the reason and retried on "
        "the next run; a rerun adds nothing. SDW_XSD_DIR adds validation against the XSDs.",
    )  # fmt: skip
    messages.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    _add_follow_option(messages)
    messages.set_defaults(handler=_ingest_messages)
    cbs = kinds.add_parser(
        "cbs", help="load CBS extracts (StatLine CSV, OData v3/v4 JSON, cbsodata folders)",
        description="Load CBS figures (files or folders, recursively) into raw, long format: "
        "StatLine CSV exports, OData v3 and v4 responses (feed pages too), and the folders "
        "`sdw fetch cbs` and cbsodata's dir= write.",
    )  # fmt: skip
    cbs.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    _add_follow_option(cbs)
    cbs.set_defaults(handler=_ingest_cbs)
    budget = kinds.add_parser(
        "budget", help="load a gemeente's inkoop catalogue and budget plafonds (CSV)",
        description="Load inkoop catalogues and budget plafonds (CSV with the columns the "
        "README lists; files or folders, recursively) into raw. A file that is neither is "
        "quarantined with the reason; a rerun adds nothing.",
    )  # fmt: skip
    budget.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    _add_follow_option(budget)
    budget.set_defaults(handler=_ingest_budget)
    doelen = kinds.add_parser(
        "doelen", help="load a gemeente's streefwaarden per KPI and outcome reports (CSV)",
        description="Load streefwaarden and outcome reports (CSV with the columns the README "
        "lists; files or folders, recursively) into raw. A line that breaks a rule is left "
        "out with its line number and the rule, the rest loads; a rerun adds nothing.",
    )  # fmt: skip
    doelen.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    _add_follow_option(doelen)
    doelen.set_defaults(handler=_ingest_doelen)

    fetch = commands.add_parser("fetch", help="download source files (needs the network)")
    sources = fetch.add_subparsers(dest="kind", required=True, metavar="KIND")
    fetch_cbs = sources.add_parser(
        "cbs", help="download CBS tables through cbsodata",
        description="Download CBS StatLine tables from opendata.cbs.nl (OData v3, all pages) "
        "into DIR/<TABLE_ID>/, one JSON file per collection, for `sdw ingest cbs DIR`. Filter "
        "large tables such as 03759ned, e.g. --filter \"startswith(RegioS,'GM')\".",
    )  # fmt: skip
    fetch_cbs.add_argument("table_ids", nargs="+", metavar="TABLE_ID", help="e.g. 85098NED")
    fetch_cbs.add_argument("--out", type=Path, required=True, help="folder to write into")
    fetch_cbs.add_argument("--filter", help="OData $filter, passed to CBS as given")
    fetch_cbs.add_argument("--select", help="OData $select: comma-separated column keys")
    fetch_cbs.set_defaults(handler=_fetch_cbs)

    build = commands.add_parser(
        "build", help="dbt build plus the Great Expectations checks",
        description="Build staging, cleaned and marts with dbt (tests included), run the Great "
        "Expectations checks, then build the quality marts from their findings.",
    )  # fmt: skip
    build.set_defaults(handler=_build)

    run = commands.add_parser(
        "run", help="the whole pipeline through Dagster, in process",
        description="Materialise every asset in process with Dagster: load new files from "
        "SDW_INBOX, build with dbt, run the checks. Runs are recorded in DAGSTER_HOME.",
    )  # fmt: skip
    run.set_defaults(handler=_run)

    status = commands.add_parser(
        "status", help="what is loaded, quarantined, last run, quality summary",
        description="Show loaded and quarantined files (with reasons), the last run, the "
        "quality findings per check and the rows per mart.",
    )  # fmt: skip
    status.set_defaults(handler=_status)

    export = commands.add_parser("export", help="write the marts out for BI tools and sharing")
    formats = export.add_subparsers(dest="format", required=True, metavar="FORMAT")
    parquet = formats.add_parser(
        "parquet", help="the shareable marts as Parquet, small cells suppressed, with a manifest",
        description="Write the marts whose YAML declares them shareable (meta.export: public or "
        "aggregate) as Parquet files into DIR with manifest.json; no person-level mart. Below "
        "gemeente level, counts of persons under the threshold (dbt var "
        "kleine_aantallen_drempel) and what is derived from them are blanked, and so many "
        "further cells that no blanked one can be recomputed from the rest of the export; each "
        "row lists its blanked cells.",
    )  # fmt: skip
    parquet.add_argument("out", type=Path, metavar="DIR")
    parquet.add_argument(
        "--person-level", action="store_true",
        help="NOT FOR SHARING: every mart, person-level ones included, unsuppressed (engineers)",
    )  # fmt: skip
    parquet.set_defaults(handler=_export_parquet)
    aanbieder = formats.add_parser(
        "aanbieder", help="the account-meeting workbook (Excel) for one aanbieder",
        description="Write one Excel workbook for the aanbieder with AGB code AGB: its figures "
        "next to its peers' (suppressed as `sdw export parquet` shares them), its open quality "
        "findings by toewijzingnummer, bericht-identificatie and dates, never by BSN or "
        "pseudonym, and a sheet explaining each figure.",
    )  # fmt: skip
    aanbieder.add_argument("agb", metavar="AGB")
    aanbieder.add_argument("--out", type=Path, required=True, metavar="DIR")
    aanbieder.set_defaults(handler=_export_aanbieder)

    rekey = commands.add_parser(
        "rekey", help="change the pseudonym key: drop the loaded messages to load them again",
        description="Record the current SDW_PSEUDONYM_KEY (or the demo key) as the warehouse's "
        "key. Pseudonyms are one-way and cannot be converted, so this drops every message row "
        "and the ledger of message files (and the incremental models built from them): load "
        "the message files again afterwards. CBS and budget data stay.",
    )  # fmt: skip
    rekey.add_argument("--confirm", action="store_true", help="really drop the loaded messages")
    rekey.set_defaults(handler=_rekey)

    report = commands.add_parser(
        "rapport", help="a report for the gemeenteraad (HTML and PDF, in Dutch, suppressed)",
        description="Write rapport-CODE-YEAR.html (self-contained) and .pdf (printed by "
        "headless Chromium: SDW_CHROMIUM or /usr/bin/chromium) into DIR: key figures, the "
        "monthly trend, the CBS comparison, the budget, the targets and the duiding "
        "(SDW_DUIDING_DIR). Only shareable marts, suppressed as `sdw export parquet` does; "
        "no count of persons below the threshold.",
    )  # fmt: skip
    report.add_argument("--gemeente", required=True, metavar="CODE", help="CBS gemeentecode")
    report.add_argument("--periode", required=True, type=int, metavar="YEAR", help="the year")
    report.add_argument("--out", required=True, type=Path, metavar="DIR")
    report.add_argument("--no-pdf", action="store_true", help="write the HTML only")
    report.set_defaults(handler=_rapport)

    dashboard = commands.add_parser(
        "dashboard", help="open the stuurinformatie dashboard on the warehouse (read-only)",
        description="Serve the dashboard on http://HOST:PORT/: the marts as plots, with filters "
        "for gemeente, domain and period. Reads the target's marts read-only (on DuckDB the "
        "serving file the last successful build published), without small-cell suppression: "
        "for internal use.",
    )  # fmt: skip
    dashboard.add_argument("--host", default="127.0.0.1", help="address (default 127.0.0.1)")
    dashboard.add_argument("--port", type=int, default=8050, help="port (default 8050)")
    dashboard.set_defaults(handler=_dashboard)
    _add_target_option(top)
    return top


def _add_follow_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--follow-symlinks",
        action="store_true",
        help="follow symbolic links below the folders given, never to outside them (default: "
        "links are skipped and reported; SDW_FOLLOW_SYMLINKS=1 sets it for `sdw run`)",
    )


def _add_target_option(command: argparse.ArgumentParser) -> None:
    """`--target` on every command: the warehouse to use (SDW_TARGET, profiles.yml's outputs)."""
    for action in command._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                _add_target_option(sub)
            return
    command.add_argument(
        "--target",
        choices=TARGETS,
        help="warehouse: duckdb (SDW_WAREHOUSE, the default) or postgres (SDW_PG_* variables); "
        "default SDW_TARGET",
    )


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if getattr(args, "target", None):
        os.environ["SDW_TARGET"] = args.target  # read by sdw.warehouse, dbt and Dagster alike
    try:
        args.handler(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as error:  # one clear line for the user, no traceback
        if os.environ.get("SDW_DEBUG"):
            raise
        print(f"sdw: error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
