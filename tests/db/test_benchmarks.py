"""Every benchmark runs at a tiny size, so that none can rot (full sizes: ``bench/``).

The numbers they print are for people; here they must run to the end and, where a
benchmark checks something (the report against the SQL floor), find it right.
"""

from __future__ import annotations

import json
import shutil

import pytest


def test_the_report_benchmark_runs_and_agrees_with_its_sql_floor(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from bench.bench_report import main

    assert shutil.which("sqlite3"), "the report benchmark's floor needs the sqlite3 shell"
    assert main(["--contacts", "400", "--years", "1", "--runs", "1"]) == 0
    out = capsys.readouterr().out
    assert "the report and the SQL agree on the numbers compared" in out


def test_the_queue_benchmark_runs(capsys: pytest.CaptureFixture[str]) -> None:
    from bench.bench_queue import main

    main(["--items", "30", "--workers", "2"])
    out = capsys.readouterr().out
    assert "intake: 30 lines" in out and "claims:" in out and "change signal:" in out


def test_the_directory_benchmark_runs(capsys: pytest.CaptureFixture[str]) -> None:
    from bench.bench_directory import main

    main(["--services", "40"])
    out = capsys.readouterr().out
    assert "import 40 services (new)" in out and "per keystroke" in out


def test_the_startup_benchmark_runs_and_prints_its_figures(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from bench.bench_startup import main

    figures = main(["--runs", "1", "--contacts", "400", "--years", "1", "--json"])
    assert json.loads(capsys.readouterr().out) == figures
    assert all(value > 0 for value in figures.values())
    assert {"help_ratio", "first_frame_gap_ms", "report_ratio"} <= figures.keys()
