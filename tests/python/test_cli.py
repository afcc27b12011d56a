"""The command line: help on every command, one-line errors, demo key only for test BSNs."""

import subprocess
import sys

import pytest
from conftest import FIXTURE_MESSAGES

from sdw.cli import main

COMMANDS = [
    ["demo-data"],
    ["ingest", "messages"],
    ["ingest", "cbs"],
    ["build"],
    ["run"],
    ["status"],
    ["rekey"],
    ["export", "parquet"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_explains_itself(command, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([*command, "--help"])
    assert exit_info.value.code == 0
    assert len(capsys.readouterr().out.splitlines()) > 3


def test_errors_are_one_line_without_traceback(warehouse):
    result = subprocess.run(
        [sys.executable, "-m", "sdw.cli", "ingest", "messages", "/no/such/inbox"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        "sdw: error: no such file or folder: /no/such/inbox"
    )
    assert "Traceback" not in result.stderr


def test_ingest_warns_about_the_demo_key_and_reports_counts(warehouse, capsys):
    assert main(["ingest", "messages", str(FIXTURE_MESSAGES)]) == 0
    captured = capsys.readouterr()
    assert "SDW_PSEUDONYM_KEY is not set" in captured.err
    assert captured.out.startswith("9 loaded, 2 quarantined, 0 duplicate, 0 already loaded")
    assert main(["status"]) == 0
    status = capsys.readouterr().out
    assert "message files: 9 loaded, 2 quarantined, 0 duplicate" in status
    assert "truncated.xml: malformed XML" in status
