"""Runs every benchmark and writes their figures to one JSON file (``make bench``).

    .venv/bin/python -m bench.runner [--smoke] [--output bench/results.json] [NAME ...]

A benchmark is a module ``bench/bench_NAME.py`` with

* ``main(argv) -> dict[str, Figure]``: runs at the size ``argv`` asks (full size
  without arguments), prints for people as it goes, and returns its figures; it
  raises ``SystemExit`` with a message when what it checks is wrong;
* ``SMOKE``: the arguments of a run small enough for the test suite.

The runner finds them itself, so a new file ``bench/bench_NAME.py`` is run
without any change here. Each runs in a process of its own (the figures come
back through a temporary JSON file), one after another, with its output shown
as it comes. A figure may name another figure of the same benchmark as the
floor or baseline it is measured against (``against``); the runner then adds
``ratio`` = value / that figure's value, and the aim for it where the benchmark
gives one (``aim``: the ratio to stay within). Lower is better for every ratio.

With ``--smoke`` every benchmark runs at its ``SMOKE`` size (the test suite does
this). The exit code is 1 when a benchmark fails; the others still run, and the
file tells which failed.
"""

from __future__ import annotations

import argparse
import importlib
import json
import math
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NotRequired, TypedDict

from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
RESULTS = BENCH / "results.json"


class Figure(TypedDict):
    """One measured figure of a benchmark."""

    value: float
    unit: str
    against: NotRequired[str]
    """The name of the figure (of the same benchmark) that is its floor or baseline."""
    aim: NotRequired[float]
    """The ratio against that figure to stay within, where the project has set one."""


Figures = dict[str, Figure]


def discover() -> list[str]:
    """The benchmarks' module names (``bench_NAME``), in order of name."""
    return sorted(path.stem for path in BENCH.glob("bench_*.py"))


def checked(name: str, figures: object) -> Figures:
    """The figures a benchmark returned, or ValueError saying what is wrong with them."""
    if not isinstance(figures, dict) or not figures:
        raise ValueError(f"{name}: main() must return its figures as a dict of Figure")
    for key, figure in figures.items():
        if not isinstance(figure, dict):
            raise ValueError(f"{name}: figure {key!r} is not a dict")
        value = figure.get("value")
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"{name}: figure {key!r} has no numeric value")
        if not isinstance(figure.get("unit"), str):
            raise ValueError(f"{name}: figure {key!r} has no unit")
        against = figure.get("against")
        if against is not None and against not in figures:
            raise ValueError(f"{name}: figure {key!r} is against {against!r}, which it lacks")
        unknown = set(figure) - {"value", "unit", "against", "aim"}
        if unknown:
            raise ValueError(f"{name}: figure {key!r} has unknown keys {sorted(unknown)}")
    return figures


def with_ratios(figures: Figures) -> dict[str, dict[str, Any]]:
    """The figures as written to the results: each with a baseline gets its ratio."""
    result: dict[str, dict[str, Any]] = {}
    for key, figure in figures.items():
        row: dict[str, Any] = dict(figure)
        against = figure.get("against")
        if against is not None:
            base = figures[against]["value"]
            row["ratio"] = figure["value"] / base if base else None
        result[key] = row
    return result


def run_one(name: str, *, smoke: bool, figures_to: Path) -> None:
    """In the benchmark's own process: run it and write its checked figures."""
    module = importlib.import_module(f"bench.{name}")
    arguments = list(module.SMOKE) if smoke else []
    figures = checked(name, module.main(arguments))
    figures_to.write_text(json.dumps(figures), encoding="utf-8")


def _run_child(name: str, *, smoke: bool, show: Any) -> tuple[int, Figures | None, float]:
    """Run one benchmark in a new process, showing its output line by line;
    (exit code, figures or None, seconds)."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "figures.json"
        command = [sys.executable, "-m", "bench.runner", "--one", name, "--figures", str(out)]
        if smoke:
            command.append("--smoke")
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        started = time.perf_counter()
        with subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        ) as child:
            assert child.stdout is not None
            for line in child.stdout:
                show(line.rstrip("\n"))
        seconds = time.perf_counter() - started
        figures = None
        if child.returncode == 0:
            figures = json.loads(out.read_text(encoding="utf-8"))
        return child.returncode, figures, seconds


def _number(value: float) -> str:
    if math.isinf(value) or math.isnan(value):
        return str(value)
    if value == 0 or abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def _summary_line(name: str, key: str, row: dict[str, Any]) -> str:
    line = f"{name}.{key}: {_number(row['value'])} {row['unit']}"
    if "ratio" in row:
        ratio = row["ratio"]
        line += f", against {row['against']}: " + (
            "no ratio (it is 0)" if ratio is None else f"{ratio:.2f}x"
        )
        if "aim" in row:
            kept = ratio is not None and ratio <= row["aim"]
            line += f" (aim {row['aim']}x: {'kept' if kept else 'missed'})"
    return line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("names", nargs="*", help="benchmarks to run (default: all)")
    parser.add_argument("--smoke", action="store_true", help="each at its tiny test size")
    parser.add_argument("--output", type=Path, default=RESULTS, help="[bench/results.json]")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--figures", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        run_one(args.one, smoke=args.smoke, figures_to=args.figures)
        return 0

    known = discover()
    names = args.names or known
    unknown = sorted(set(names) - set(known))
    if unknown:
        parser.error(f"no such benchmark: {', '.join(unknown)} (there are: {', '.join(known)})")
    size = "smoke" if args.smoke else "full"
    results: dict[str, Any] = {
        "size": size,
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs",
        "benchmarks": {},
    }
    failed: list[str] = []
    console = Console(soft_wrap=True)  # a benchmark's lines stay whole in a log
    started = time.perf_counter()
    columns = (
        SpinnerColumn(),
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("benchmarks", total=len(names))
        for number, name in enumerate(names, 1):
            progress.update(task, description=f"{name} ({size} size)")
            console.rule(f"[{number}/{len(names)}] {name}, {size} size")
            code, figures, seconds = _run_child(
                name, smoke=args.smoke, show=lambda line: console.print(escape(f"  {line}"))
            )
            entry: dict[str, Any] = {"seconds": round(seconds, 3)}
            if figures is None:
                entry["error"] = f"exit code {code}"
                failed.append(name)
                console.print(f"[red]{name} failed ({entry['error']})[/red]")
            else:
                entry["figures"] = with_ratios(figures)
            results["benchmarks"][name] = entry
            progress.advance(task)
    results["seconds"] = round(time.perf_counter() - started, 1)
    results["failed"] = failed
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    console.rule("figures")
    for name, entry in results["benchmarks"].items():
        for key, row in entry.get("figures", {}).items():
            console.print(escape(_summary_line(name, key, row)), highlight=False)
    console.print(
        f"{len(names) - len(failed)} of {len(names)} benchmarks ran in {results['seconds']} s; "
        f"figures in {args.output}",
        highlight=False,
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
