"""``ohjaus --help`` starts fast: it lists the commands from a table in ``cli/app.py``
without importing one, and a command imports its own module alone. The table is kept
equal to the commands here, so that it cannot go stale. The workstation draws its
sign-in before it imports the database layer and the screens after the sign-in."""

from __future__ import annotations

import gc
import importlib
import inspect
import json
import pkgutil
import subprocess
import sys
import types

import pytest
from sqlalchemy import Engine

import ohjaus_tui.cli
import ohjaus_tui.tui.screens
from ohjaus_tui.cli.app import COMMANDS, Listed, collector_resting
from ohjaus_tui.domain.codes import Role
from ohjaus_tui.services.actor import Actor, os_user_name
from ohjaus_tui.services.operators import add_operator
from ohjaus_tui.tui.app import LATER_SCREENS

HEAVY = (
    "textual",
    "sqlalchemy",
    "sqlmodel",
    "alembic",
    "psycopg",
    "pydantic",
    "pydantic_settings",
    "babel",
    "fastapi",
    "starlette",
    "uvicorn",
    "ohjaus_tui.db",
    "ohjaus_tui.services",
    "ohjaus_tui.settings",
    "ohjaus_tui.tui",
)
"""What ``ohjaus --help`` has no use for: the database, the settings, the workstation,
the words' Babel, the web stack."""

HELPERS = {"app", "common", "periods"}
"""The modules of ``ohjaus_tui.cli`` that hold no command."""


def run_cli(*args: str) -> tuple[str, set[str]]:
    """``ohjaus ARGS`` in a new interpreter: its output, and the modules it imported."""
    program = (
        "import sys\n"
        f"sys.argv = ['ohjaus', *{list(args)!r}]\n"
        "from ohjaus_tui.cli.app import main\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as exit:\n"
        "    assert not exit.code, exit.code\n"
        "print('\\0' + ','.join(sorted(sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", program],
        capture_output=True,
        text=True,
        check=True,
        env={"COLUMNS": "100", "PATH": "/usr/bin:/bin", "OHJAUS_LANGUAGE": "en"},
    )
    output, _, modules = result.stdout.rpartition("\0")
    return output, set(modules.strip().split(","))


def loaded(modules: set[str], packages: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if any(m == p or m.startswith(p + ".") for p in packages))


def test_the_help_imports_no_command_and_nothing_heavy() -> None:
    output, modules = run_cli("--help")
    assert all(entry.name in output for entry in COMMANDS)
    assert loaded(modules, HEAVY) == []
    assert loaded(modules, tuple(f"ohjaus_tui.cli.{entry.module}" for entry in COMMANDS)) == []


def test_a_command_imports_its_own_module_alone() -> None:
    output, modules = run_cli("report", "--help")
    assert "--suppress-below" in output
    commands = {f"ohjaus_tui.cli.{entry.module}" for entry in COMMANDS}
    assert sorted(commands & modules) == ["ohjaus_tui.cli.report"]
    assert loaded(modules, ("textual", "ohjaus_tui.tui", "fastapi", "starlette", "uvicorn")) == []


def test_a_report_in_json_loads_only_what_it_needs(engine: Engine, db_url: str) -> None:
    """No words (JSON has none), no migrations (the desk is current), no progress
    bar. (The holidays library stays: the calendar's business days come from it.)"""
    lead = Actor("test", role=Role.ADMIN)
    add_operator(engine, "Liisa", role=Role.LEAD, os_user=os_user_name(), actor=lead)
    output, modules = run_cli("--db", db_url, "report", "--year", "2025", "--format", "json")
    assert json.loads(output)["contacts"] == 0
    unneeded = ("babel", "alembic", "rich.progress", "textual", "ohjaus_tui.tui")
    assert loaded(modules, unneeded) == []


FIRST_FRAME = """
import os, sys
from textual.app import App

out = os.dup(1)  # Textual takes stdout over while it runs


def ready(self):
    os.write(out, ("\\0" + ",".join(sorted(sys.modules))).encode())
    self.exit()


App.on_ready = ready  # after the app's own: the desk's worker has not started yet
run = App.run
App.run = lambda self, **options: run(self, headless=True, size=(120, 36), **options)
sys.argv = ["ohjaus", *sys.argv[1:]]
from ohjaus_tui.cli.app import main

main()
"""
"""``ohjaus ARGS`` headless: prints the modules imported when its first frame is drawn."""

LATER = (
    "sqlalchemy",
    "sqlmodel",
    "alembic",
    "psycopg",
    "holidays",
    "ohjaus_tui.db",
    "ohjaus_tui.services.desk",
    *LATER_SCREENS,
)
"""What the sign-in's frame has no use for: the database, and the screens after it."""


def test_the_workstation_draws_its_sign_in_before_the_database_layer_loads(db_url: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", FIRST_FRAME, "--db", db_url],
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/bin:/bin", "OHJAUS_LANGUAGE": "en"},
        timeout=120,
    )
    modules = set(result.stdout.rpartition("\0")[2].split(","))
    assert "ohjaus_tui.tui.screens.signin" in modules
    assert loaded(modules, LATER) == []


def test_the_desk_worker_imports_every_screen_after_the_sign_in() -> None:
    """None is left for the main thread to import as the operator signs in."""
    package = ohjaus_tui.tui.screens
    screens = {f"{package.__name__}.{info.name}" for info in pkgutil.iter_modules(package.__path__)}
    assert screens - {f"{package.__name__}.signin"} <= set(LATER_SCREENS)


def summary_of(command: object) -> str:
    """The first paragraph of a command's help, as Typer lists the command."""
    text = getattr(command, "short_help", None) or getattr(command, "help", None) or ""
    return inspect.cleandoc(text).split("\n\n")[0].replace("\n", " ")


@pytest.mark.parametrize("entry", COMMANDS, ids=lambda entry: entry.name)
def test_the_table_lists_each_command_as_it_is(entry: Listed) -> None:
    command = entry.load()
    listed = entry.listing()
    assert (command.name, summary_of(command)) == (entry.name, entry.summary)
    shown = ("hidden", "deprecated", "rich_help_panel")  # a panel unset is a falsy placeholder
    assert [getattr(command, a, None) or None for a in shown] == [
        getattr(listed, a, None) or None for a in shown
    ]


def test_the_table_names_every_command_module_and_each_name_once() -> None:
    modules = {info.name for info in pkgutil.iter_modules(ohjaus_tui.cli.__path__)}
    assert {entry.module for entry in COMMANDS} == modules - HELPERS
    names = [entry.name for entry in COMMANDS]
    assert len(names) == len(set(names))


def test_the_collector_rests_while_modules_load_and_only_then() -> None:
    assert gc.isenabled()
    with pytest.raises(ImportError), collector_resting():
        assert not gc.isenabled()
        importlib.import_module("ohjaus_tui.cli.no_such_module")
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_resting():
            pass
        assert not gc.isenabled(), "a collector turned off by someone else stays off"
    finally:
        gc.enable()


def test_what_loading_modules_made_is_frozen_and_nothing_else() -> None:
    frozen = gc.get_freeze_count()
    with collector_resting():
        pass  # nothing loaded: nothing frozen
    assert gc.get_freeze_count() == frozen
    sys.modules.pop("this_module_is_new", None)
    with collector_resting():
        sys.modules["this_module_is_new"] = types.ModuleType("this_module_is_new")
    try:
        assert gc.get_freeze_count() > frozen
    finally:
        del sys.modules["this_module_is_new"]
