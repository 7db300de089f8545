"""Shared fixtures: every test gets its own database, migrated with Alembic.

The suite runs once on SQLite and, with ``OHJAUS_TEST_PG_ADMIN_URL`` set (see
``tests/pg_cluster.py``), once more on PostgreSQL: each test then gets a fresh
database on that throwaway cluster.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
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


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    other = "sqlite_only" if BACKEND == "postgresql" else "postgresql_only"
    skip = pytest.mark.skip(reason=f"not for the {BACKEND} pass")
    for item in items:
        if other in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _isolated_settings(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """No test reads the developer's own config file or database."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("OHJAUS_CONFIG", str(home / "config.toml"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
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


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """A migrated desk database with the default code lists."""
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
