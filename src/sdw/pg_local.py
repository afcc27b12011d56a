"""A local PostgreSQL server to try the warehouse on (`make postgres`) and to test against.

It runs the Debian PostgreSQL binaries (/usr/lib/postgresql/<version>/bin) on loopback only,
with its data in a folder of ours; as root it runs them as the `postgres` user, which the
Debian package creates, because PostgreSQL refuses to run as root. Authentication is `trust`
on 127.0.0.1: good for trying things on one machine, not for a shared server.

    python -m sdw.pg_local start warehouse/postgres [--port 5432]   # prints the SDW_PG_* exports
    python -m sdw.pg_local stop warehouse/postgres
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

SUPERUSER = "sdw"  # the warehouse's own login: owns the database, runs loaders and dbt
DATABASE = "sociaal_domein"
SERVICE_USER = "postgres"  # runs the server when we are root


class PostgresUnavailable(Exception):
    """No PostgreSQL binaries on this machine."""


def bin_dir() -> Path:
    """The newest /usr/lib/postgresql/<version>/bin with initdb, else initdb's folder on PATH."""
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    if found:
        return found[-1].parent
    on_path = shutil.which("initdb")
    if on_path:
        return Path(on_path).resolve().parent
    raise PostgresUnavailable(
        "no PostgreSQL binaries (initdb) found: apt-get install -y postgresql"
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", SERVICE_USER, "--", *command]


def _run(command: list[str]) -> subprocess.CompletedProcess:
    result = subprocess.run(_as_server_user(command), capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed: {result.stderr.strip() or result.stdout}")
    return result


def _prepare(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        shutil.chown(folder, user=SERVICE_USER)
        folder.chmod(0o700)
        closed = [p for p in folder.resolve().parents if p.stat().st_mode & 0o001 == 0]
        if closed:
            raise PermissionError(
                f"{closed[0]} is closed to the {SERVICE_USER} user the server runs as; "
                "put the server's folder elsewhere"
            )


def is_running(folder: Path) -> bool:
    data = folder / "data"
    if not (data / "postmaster.pid").exists():
        return False
    status = subprocess.run(
        _as_server_user([str(bin_dir() / "pg_ctl"), "-D", str(data), "status"]),
        capture_output=True,
        check=False,
    )
    return status.returncode == 0


def port_of(folder: Path) -> int:
    """The port a running server in `folder` listens on (postmaster.pid, line 4)."""
    return int((folder / "data" / "postmaster.pid").read_text().splitlines()[3])


def start(folder: Path, port: int | None = None) -> dict[str, str]:
    """Start (initialising on first use) the server in `folder`; the SDW_PG_* settings to
    reach it as the warehouse's login, with the database created."""
    binaries = bin_dir()
    folder = folder.resolve()
    data = folder / "data"
    if is_running(folder):
        port = port_of(folder)
    else:
        _prepare(folder)
        if not (data / "PG_VERSION").exists():
            _run([str(binaries / "initdb"), "-D", str(data), "-U", SUPERUSER, "--auth=trust",
                  "-E", "UTF8", "--locale=C"])  # fmt: skip
        port = port or free_port()
        options = f"-h 127.0.0.1 -p {port} -k {folder}"
        _run([str(binaries / "pg_ctl"), "-D", str(data), "-o", options,
              "-l", str(folder / "server.log"), "-w", "start"])  # fmt: skip
    settings = {
        "SDW_PG_HOST": "127.0.0.1",
        "SDW_PG_PORT": str(port),
        "SDW_PG_USER": SUPERUSER,
        "SDW_PG_DATABASE": DATABASE,
    }
    create_database(settings, DATABASE)
    return settings


def create_database(settings: dict[str, str], name: str) -> None:
    import psycopg

    with psycopg.connect(
        host=settings["SDW_PG_HOST"],
        port=settings["SDW_PG_PORT"],
        user=settings["SDW_PG_USER"],
        dbname="postgres",
        autocommit=True,
    ) as con:
        exists = con.execute("select 1 from pg_database where datname = %s", [name]).fetchone()
        if not exists:
            con.execute(f'create database "{name}"')


def stop(folder: Path) -> None:
    folder = folder.resolve()
    if is_running(folder):
        _run([str(bin_dir() / "pg_ctl"), "-D", str(folder / "data"), "-m", "fast", "-w", "stop"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sdw.pg_local", description=__doc__)
    parser.add_argument("action", choices=("start", "stop"))
    parser.add_argument("folder", type=Path)
    parser.add_argument("--port", type=int, default=None, help="default: a free port")
    args = parser.parse_args(argv)
    if args.action == "stop":
        stop(args.folder)
        print(f"stopped the server in {args.folder}")
        return 0
    settings = start(args.folder, args.port)
    print(f"PostgreSQL running in {args.folder} on 127.0.0.1:{settings['SDW_PG_PORT']}")
    print("use it with:")
    for name, value in settings.items():
        print(f"  export {name}={value}")
    print("  export SDW_TARGET=postgres")
    return 0


if __name__ == "__main__":
    sys.exit(main())
