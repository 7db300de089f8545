"""The core (domain, db, services) and the words never pull in Textual."""

from __future__ import annotations

import subprocess
import sys

CORE = [
    "ohjaus_tui.domain.calendar",
    "ohjaus_tui.domain.phones",
    "ohjaus_tui.domain.privacy",
    "ohjaus_tui.domain.codebook",
    "ohjaus_tui.db.models",
    "ohjaus_tui.db.migrate",
    "ohjaus_tui.services.database",
    "ohjaus_tui.services.codelists",
    "ohjaus_tui.present.report_table",
    "ohjaus_tui.words",
    "ohjaus_tui.cli.app",
]


def test_core_modules_do_not_import_textual() -> None:
    program = (
        "import importlib, sys\n"
        f"for name in {CORE!r}: importlib.import_module(name)\n"
        "leaked = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(leaked))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_the_command_line_loads_the_report_page_only_when_asked_for() -> None:
    program = (
        "import sys\n"
        "import ohjaus_tui.cli.app\n"
        "print(','.join(m for m in sys.modules if m.startswith('ohjaus_tui.present.report_')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True
    )
    loaded = set(result.stdout.strip().split(","))
    assert not loaded & {"ohjaus_tui.present.report_html", "ohjaus_tui.present.report_charts"}
