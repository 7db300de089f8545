"""Shared fixtures: every test gets its own database, migrated with Alembic.

The suite runs once on SQLite and, with ``OHJAUS_TEST_PG_ADMIN_URL`` set (see
``tests/pg_cluster.py``), once more on PostgreSQL: each test then gets a fresh
database on that throwaway cluster.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from textual.widgets import Input

from ohjaus_tui.domain import pins
from ohjaus_tui.services.database import open_desk

# Hypothesis: on CI (``CI`` set) derandomized, so that a pipeline never fails on an
# input an earlier run did not try, with the failing example's blob printed;
# ``HYPOTHESIS_PROFILE`` picks a profile by name. Tests set their own limits.
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.register_profile("dev")
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
)

PG_ADMIN_URL = os.environ.get("OHJAUS_TEST_PG_ADMIN_URL")
BACKEND = "postgresql" if PG_ADMIN_URL else "sqlite"


def pytest_report_header() -> str:
    return f"ohjaus database backend: {BACKEND}"


FUNCTIONAL = Path(__file__).parent / "functional"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Each pass runs the tests for its database. The PostgreSQL pass leaves out the tests
    that use no database of the suite (no ``db_url``, however deep): they ran the same in
    the SQLite pass. Of the workstation's tests (tests/functional), which drive the
    services that tests/db runs on both engines, it runs those marked ``both_engines``:
    the live feed, several workstations on one desk, the chaos run."""
    other = "sqlite_only" if BACKEND == "postgresql" else "postgresql_only"
    skip = pytest.mark.skip(reason=f"not for the {BACKEND} pass")
    same = pytest.mark.skip(reason="uses no database: run in the SQLite pass")
    screens = pytest.mark.skip(reason="the workstation's screens: run in the SQLite pass")
    for item in items:
        if other in item.keywords:
            item.add_marker(skip)
        elif BACKEND != "postgresql" or "postgresql_only" in item.keywords:
            continue
        elif "db_url" not in getattr(item, "fixturenames", ()):
            item.add_marker(same)
        elif item.path.is_relative_to(FUNCTIONAL) and "both_engines" not in item.keywords:
            item.add_marker(screens)


@pytest.fixture(autouse=True)
def _isolated_settings(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """No test reads the developer's own config file, database or cache."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("OHJAUS_CONFIG", str(home / "config.toml"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    for name in list(os.environ):
        if name.startswith("OHJAUS_") and name not in ("OHJAUS_CONFIG", "OHJAUS_TEST_PG_ADMIN_URL"):
            monkeypatch.delenv(name)


def _pg_database(admin_url: str) -> Iterator[str]:
    name = f"t_{uuid.uuid4().hex[:16]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def db_url(tmp_path: Path) -> Iterator[str]:
    """A URL of an empty database of this pass's backend."""
    if PG_ADMIN_URL:
        yield from _pg_database(PG_ADMIN_URL)
    else:
        yield f"sqlite:///{tmp_path / 'desk.db'}"


@pytest.fixture(scope="session")
def _migrated_desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One database migrated and given the code lists, that each test's desk is copied from.

    Migrating takes a sizeable part of a second; most tests need a desk, and
    a copy of this one (a file, or PostgreSQL's ``CREATE DATABASE ... TEMPLATE``)
    is what :func:`open_desk` would have built. Tests of migrating itself use
    ``db_url`` alone.
    """
    if PG_ADMIN_URL:
        for url in _pg_database(PG_ADMIN_URL):
            open_desk(url).dispose()
            yield make_url(url).database or ""
    else:
        path = tmp_path_factory.mktemp("template") / "desk.db"
        open_desk(f"sqlite:///{path}").dispose()
        assert not path.with_name("desk.db-wal").exists()
        yield str(path)


def _copy_desk(template: str, url: str) -> None:
    """Make the empty database at ``url`` a copy of the migrated ``template``."""
    if PG_ADMIN_URL:
        name = make_url(url).database
        admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE "{name}"'))
            connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
        admin.dispose()
    else:
        path = Path(make_url(url).database or "")
        if not path.exists():
            shutil.copyfile(template, path)


@pytest.fixture
def engine(db_url: str, _migrated_desk: str) -> Iterator[Engine]:
    """A migrated desk database with the default code lists."""
    _copy_desk(_migrated_desk, db_url)
    desk = open_desk(db_url)
    try:
        yield desk
    finally:
        desk.dispose()


@pytest.fixture(autouse=True)
def _steady_cursors(monkeypatch: pytest.MonkeyPatch) -> None:
    """Text cursors do not blink in tests: a focused field always shows its cursor.

    A blinking cursor is drawn or not by the half second, so a snapshot taken
    a moment later on a busy machine would show another picture. The cursor
    stays in every snapshot; only its blinking goes.
    """
    created = Input.__init__

    def steady(self: Input, *args: Any, **kwargs: Any) -> None:
        created(self, *args, **kwargs)
        self.set_reactive(Input.cursor_blink, False)

    monkeypatch.setattr(Input, "__init__", steady)


PINS = {"Anna": "2580", "Mikko": "1357", "Liisa": "2468"}
PRODUCTION_PIN_COST = pins.COST_N
"""scrypt's cost as the program uses it (the suite lowers it, see below)."""
"""The PINs of the ``people`` fixture."""


@pytest.fixture(autouse=True)
def _cheap_pin_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hash new PINs at a low scrypt cost: the suite adds people in hundreds of tests.

    Verifying reads the cost from the stored hash, so nothing else changes;
    tests/unit/test_pins.py checks the production cost without this.
    """
    monkeypatch.setattr(pins, "COST_N", 2**8)


@pytest.fixture
def people(engine: Engine) -> dict[str, int]:
    """Anna and Mikko (operators) and Liisa (lead), by id; their PINs are in ``PINS``."""
    from ohjaus_tui.domain.codes import Role
    from ohjaus_tui.services.actor import Actor
    from ohjaus_tui.services.operators import add_operator

    admin = Actor("test", role=Role.ADMIN)
    ids = {}
    for name, role in (("Anna", Role.OPERATOR), ("Mikko", Role.OPERATOR), ("Liisa", Role.LEAD)):
        operator = add_operator(engine, name, role=role, pin=PINS[name], actor=admin)
        assert operator.id is not None
        ids[name] = operator.id
    return ids


# --- a browser: Playwright driving the system's Chromium ------------------------------------

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).parent / "artifacts"
"""Where the browser tests keep their screenshots and printouts (git-ignored)."""
_STARTED = time.time()
"""When this process began: the files kept since are this run's (with pytest-xdist, its
workers keep them and the controller lists them)."""


@functools.cache
def _chromium_missing() -> str | None:
    """Why there is no Chromium to test with, once it was tried to install; None if there is.

    Playwright's own browser download is not used: the tests drive Debian's
    ``chromium``, installed here with apt-get where the suite runs as root (CI
    runs on a clean machine).
    """
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (pip install -e '.[dev]')"
    if CHROMIUM.exists():
        return None
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        return f"{CHROMIUM} is missing; install it as root with: apt-get install -y chromium"
    install = ["apt-get", "install", "-y", "--no-install-recommends", "chromium"]
    quiet = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    said = ""
    for steps in ([install], [["apt-get", "update"], install]):  # a clean machine: no lists
        for step in steps:
            try:
                done = subprocess.run(
                    step, capture_output=True, text=True, env=quiet, check=False, timeout=900
                )
            except subprocess.TimeoutExpired:
                return f"{' '.join(step)} took more than 15 minutes"
            if done.returncode != 0:
                said = (done.stderr or done.stdout).strip()
                break
        if CHROMIUM.exists():
            return None
    return f"apt-get install -y chromium failed: {said[-300:]}"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Chromium under Playwright, one for the tests of a module.

    One per module, not per session: Playwright's sync API keeps its event
    loop marked running while the browser is open, and the asyncio tests that
    follow (the workstation's) could not run theirs. Missing Chromium is a
    failure on CI (``CI`` set) and a skip elsewhere, with the reason.
    """
    missing = _chromium_missing()
    if missing is not None:
        if os.environ.get("CI"):
            pytest.fail(f"no browser for the browser tests: {missing}", pytrace=False)
        pytest.skip(f"no browser for the browser tests: {missing}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox"],  # the suite may run as root
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def artifact() -> Callable[[str], Path]:
    """A path in tests/artifacts/ for a file the run keeps (named for this pass's backend);
    the paths are listed at the end of the run."""

    def path(name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        return ARTIFACTS / f"{BACKEND}-{name}"

    return path


def pytest_terminal_summary(terminalreporter: Any) -> None:
    kept = sorted(
        path
        for path in ARTIFACTS.glob(f"{BACKEND}-*")
        if path.is_file() and path.stat().st_mtime >= _STARTED
    )
    if kept:
        terminalreporter.section("kept for a look")
        for path in kept:
            terminalreporter.write_line(str(path))
