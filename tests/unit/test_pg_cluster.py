"""The pure helpers of ``tests/pg_cluster.py`` (the throwaway PostgreSQL runner)."""

from __future__ import annotations

import shlex
import signal
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from tests import pg_cluster


def _server_dir(directory: Path, tools: tuple[str, ...] = pg_cluster.SERVER_TOOLS) -> Path:
    directory.mkdir(parents=True)
    for tool in tools:
        (directory / tool).write_text("#!/bin/sh\n")
        (directory / tool).chmod(0o755)
    return directory


def test_command_follows_the_separator() -> None:
    assert pg_cluster.command_from_argv(["--", "pytest", "-x"]) == ["pytest", "-x"]
    assert pg_cluster.command_from_argv(["pytest", "--", "-x"]) == ["pytest", "--", "-x"]
    assert pg_cluster.command_from_argv(["--"]) == []


@pytest.mark.parametrize(
    ("environ", "required"),
    [
        ({}, False),
        ({"CI": "true"}, True),
        ({"CI": "TRUE"}, True),
        ({"CI": "false"}, False),
        ({"CI": "1"}, False),
        ({"OHJAUS_REQUIRE_PG": "1"}, True),
        ({"OHJAUS_REQUIRE_PG": "0"}, False),
    ],
)
def test_a_server_is_required_on_ci(environ: dict[str, str], required: bool) -> None:
    assert pg_cluster.pg_required(environ) is required


def test_version_directories_sort_numerically() -> None:
    names = ["9.6", "16", "15", "main", "10"]
    keys = {name: pg_cluster.version_key(name) for name in names}
    assert keys["main"] is None
    numbered = sorted((key, name) for name, key in keys.items() if key is not None)
    assert [name for _, name in numbered] == ["9.6", "10", "15", "16"]


def test_the_newest_debian_version_wins(tmp_path: Path) -> None:
    root = tmp_path / "postgresql"
    for version in ("9.6", "15", "13"):
        _server_dir(root / version / "bin")
    _server_dir(root / "17" / "bin", tools=("pg_ctl",))  # client tools only
    assert pg_cluster.find_bindir(path="", debian_root=root) == root / "15" / "bin"


def test_path_symlinks_lead_to_the_real_directory(tmp_path: Path) -> None:
    real = _server_dir(tmp_path / "lib" / "bin")
    links = tmp_path / "local"
    links.mkdir()
    for tool in pg_cluster.SERVER_TOOLS:
        (links / tool).symlink_to(real / tool)
    found = pg_cluster.find_bindir(path=str(links), debian_root=tmp_path / "none")
    assert found == real


def test_wrapper_scripts_on_path_are_skipped(tmp_path: Path) -> None:
    wrappers = _server_dir(tmp_path / "wrapper", tools=("pg_wrapper",))
    links = tmp_path / "bin"
    links.mkdir()
    for tool in pg_cluster.SERVER_TOOLS:
        (links / tool).symlink_to(wrappers / "pg_wrapper")
    root = tmp_path / "postgresql"
    _server_dir(root / "15" / "bin")
    assert pg_cluster.find_bindir(path=str(links), debian_root=root) == root / "15" / "bin"
    assert pg_cluster.find_bindir(path=str(links), debian_root=tmp_path / "none") is None


def test_server_version_is_parsed() -> None:
    text = "postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)\n"
    assert pg_cluster.parse_server_version(text) == "15.18"
    assert pg_cluster.parse_server_version("postgres 16.2") == "16.2"


def test_admin_url_is_the_superusers_maintenance_database() -> None:
    url = make_url(pg_cluster.admin_url(54321))
    assert url.drivername == "postgresql+psycopg"
    assert (url.username, url.host, url.port, url.database) == (
        "postgres",
        "127.0.0.1",
        54321,
        "postgres",
    )


def test_death_by_signal_becomes_a_shell_status() -> None:
    assert pg_cluster.exit_status(0) == 0
    assert pg_cluster.exit_status(3) == 3
    assert pg_cluster.exit_status(-signal.SIGKILL) == 137


def test_server_options_survive_the_shell(tmp_path: Path) -> None:
    socket_dir = tmp_path / "with space" / "data"
    options = pg_cluster.server_options(5433, socket_dir, {"fsync": "off"})
    assert shlex.split(options) == [
        "-h",
        "127.0.0.1",
        "-p",
        "5433",
        "-k",
        str(socket_dir),
        "-c",
        "fsync=off",
    ]


def test_tail_keeps_the_last_lines() -> None:
    text = "\n".join(str(n) for n in range(100))
    assert pg_cluster.tail(text, 3) == "97\n98\n99"
