"""How fast ``ohjaus`` starts, each figure against a floor measured in the same run.

    .venv/bin/python bench/bench_startup.py [--runs 7] [--contacts 1000000] [--years 6]
                                            [--keep FILE]

Every figure is the best of ``--runs`` new processes, the two of a pair run in turn
so that other work on the machine slows both alike:

* ``ohjaus --help`` against ``python -c "import typer.rich_utils"``: what Typer's own
  help needs, so the floor of any Typer program's help (aim: within 1.5x);
* the workstation's first frame against a bare Textual app's: from starting the
  process (``ohjaus --db FILE``, the sign-in of a demo desk) to Textual's ``Ready``
  event, which follows the first frame, both headless at 120x36 (aim: within 150 ms);
* ``ohjaus --db FILE report --year Y --format json`` as a new process against the
  same numbers in SQL with the ``sqlite3`` shell on the same file (``bench_report.py``
  builds the desk and the SQL; aim: within 1.3x).

``make bench`` (bench/runner.py) collects the figures ``main`` returns.
Needs the ``sqlite3`` command-line shell (Debian: ``apt-get install sqlite3``).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bench.runner import Figures

REPOSITORY = Path(__file__).resolve().parent.parent

SMOKE = ["--runs", "1", "--contacts", "400", "--years", "1"]
"""A run small enough for the test suite (see bench/runner.py)."""

FIRST_FRAME = """
import os, sys, time
from textual.app import App

signal = os.dup(1)  # Textual takes stdout over while it runs


def ready(self):
    os.write(signal, f"{time.monotonic()}\\n".encode())
    self.exit()


App.on_ready = ready  # the event follows the first frame
run = App.run
App.run = lambda self, **options: run(self, headless=True, size=(120, 36), **options)
if sys.argv[1:] == ["bare"]:
    App().run()
else:
    sys.argv = ["ohjaus", *sys.argv[1:]]
    from ohjaus_tui.cli.app import main

    main()
"""
"""A program that runs a bare Textual app or ``ohjaus ARGS`` headless, prints the
monotonic clock (one clock for every process) at the first frame and quits."""


def ohjaus() -> list[str]:
    """The ``ohjaus`` command installed beside this Python, else ``python -m ohjaus_tui``."""
    script = Path(sys.executable).with_name("ohjaus")
    return [str(script)] if script.exists() else [sys.executable, "-m", "ohjaus_tui"]


def elapsed(command: Sequence[str]) -> float:
    """Seconds from starting ``command`` to its end; it must succeed."""
    started = time.perf_counter()
    subprocess.run(command, capture_output=True, check=True)
    return time.perf_counter() - started


def to_first_frame(*args: str) -> float:
    """Seconds from starting :data:`FIRST_FRAME` with ``args`` to its first frame."""
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", FIRST_FRAME, *args], capture_output=True, text=True, check=True
    )
    return float(done.stdout.split()[0]) - started


def best_of_pairs(
    runs: int, first: Callable[[], float], second: Callable[[], float]
) -> tuple[float, float]:
    """The best time of each of two measurements, run in turn ``runs`` times after one
    unmeasured run each (the page cache, Python's byte code)."""
    first(), second()
    times = [(first(), second()) for _ in range(runs)]
    return min(a for a, _ in times), min(b for _, b in times)


def measure_help(runs: int) -> dict[str, float]:
    help_seconds, floor = best_of_pairs(
        runs,
        lambda: elapsed([*ohjaus(), "--help"]),
        lambda: elapsed([sys.executable, "-c", "import typer.rich_utils"]),
    )
    return {
        "help_seconds": help_seconds,
        "help_floor_seconds": floor,
        "help_ratio": help_seconds / floor,
    }


def measure_first_frame(runs: int, folder: Path) -> dict[str, float]:
    desk = folder / "workstation.db"
    subprocess.run([*ohjaus(), "--db", str(desk), "demo"], capture_output=True, check=True)
    workstation, bare = best_of_pairs(
        runs, lambda: to_first_frame("--db", str(desk)), lambda: to_first_frame("bare")
    )
    return {
        "first_frame_seconds": workstation,
        "bare_first_frame_seconds": bare,
        "first_frame_ratio": workstation / bare,
        "first_frame_gap_ms": (workstation - bare) * 1000,
    }


def measure_report(
    runs: int, folder: Path, contacts: int, years: int, keep: Path | None
) -> dict[str, float]:
    from bench.bench_report import (
        FIRST_YEAR,
        a_lead_runs_the_report,
        floor_sql,
        generate,
        run_floor,
    )

    year = FIRST_YEAR + years - 1
    path = keep or folder / "report.db"
    if not path.exists():
        generate(path, contacts, years)
    a_lead_runs_the_report(path)
    sql = floor_sql(path, year, datetime.now(UTC))
    report = [*ohjaus(), "--db", str(path), "report", "--year", str(year), "--format", "json"]
    process, floor = best_of_pairs(runs, lambda: elapsed(report), lambda: run_floor(path, sql)[0])
    return {
        "report_contacts": float(contacts),
        "report_process_seconds": process,
        "report_floor_seconds": floor,
        "report_ratio": process / floor,
    }


def main(argv: list[str] | None = None) -> Figures:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=7, help="timed runs of each; the best counts")
    parser.add_argument("--contacts", type=int, default=1_000_000, help="contacts of the report")
    parser.add_argument("--years", type=int, default=6, help="years of contacts, from 2019")
    parser.add_argument("--keep", type=Path, help="keep the report's database here (reused)")
    args = parser.parse_args(argv)
    if shutil.which("sqlite3") is None:
        raise SystemExit("the sqlite3 shell is missing: apt-get install sqlite3")
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        figures = {
            **measure_help(args.runs),
            **measure_first_frame(args.runs, folder),
            **measure_report(args.runs, folder, args.contacts, args.years, args.keep),
        }
    print(
        f"ohjaus --help:                         {figures['help_seconds']:6.3f} s\n"
        f'python -c "import typer.rich_utils":   {figures["help_floor_seconds"]:6.3f} s\n'
        f"ratio: {figures['help_ratio']:.2f}x (aim: within 1.5x)\n"
        f"first frame, the workstation:          {figures['first_frame_seconds']:6.3f} s\n"
        f"first frame, a bare Textual app:       {figures['bare_first_frame_seconds']:6.3f} s\n"
        f"later by {figures['first_frame_gap_ms']:.0f} ms (aim: within 150 ms)\n"
        f"ohjaus report --year, new process:     {figures['report_process_seconds']:6.3f} s "
        f"({args.contacts:,} contacts over {args.years} years)\n"
        f"the same numbers, sqlite3 shell:       {figures['report_floor_seconds']:6.3f} s\n"
        f"ratio: {figures['report_ratio']:.2f}x (aim: within 1.3x)\n"
        f"(best of {args.runs} runs each, on {os.cpu_count()} cores)"
    )
    return {
        "help_seconds": {
            "value": figures["help_seconds"],
            "unit": "s",
            "against": "help_floor_seconds",
            "aim": 1.5,
        },
        "help_floor_seconds": {"value": figures["help_floor_seconds"], "unit": "s"},
        "first_frame_seconds": {
            "value": figures["first_frame_seconds"],
            "unit": "s",
            "against": "bare_first_frame_seconds",
        },
        "bare_first_frame_seconds": {"value": figures["bare_first_frame_seconds"], "unit": "s"},
        "first_frame_gap_ms": {"value": figures["first_frame_gap_ms"], "unit": "ms"},
        "report_process_seconds": {
            "value": figures["report_process_seconds"],
            "unit": "s",
            "against": "report_floor_seconds",
            "aim": 1.3,
        },
        "report_floor_seconds": {"value": figures["report_floor_seconds"], "unit": "s"},
        "report_contacts": {"value": figures["report_contacts"], "unit": "contacts"},
    }


if __name__ == "__main__":
    sys.path.insert(0, str(REPOSITORY))  # run as a file: bench_report.py as bench.bench_report
    main()
