"""Every benchmark runs at a tiny size through ``make bench``'s runner, so that none
can rot (full sizes: ``bench/``).

The runner finds the benchmarks itself, so a new ``bench/bench_*.py`` is run here
too. The numbers are for people; here each benchmark must run to the end, hand
back well-formed figures and, where it checks something (the report against its
SQL floor), find it right.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from bench import runner


@pytest.mark.sqlite_only  # the benchmarks make their own databases
def test_every_benchmark_runs_through_the_runner_at_its_smoke_size(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert shutil.which("sqlite3"), "the report benchmark's floor needs the sqlite3 shell"
    output = tmp_path / "results.json"
    code = runner.main(["--smoke", "--output", str(output)])
    out = capsys.readouterr().out
    assert code == 0, out
    results = json.loads(output.read_text(encoding="utf-8"))
    assert results["size"] == "smoke" and results["failed"] == []
    names = runner.discover()
    assert {
        "bench_directory",
        "bench_privacy",
        "bench_ptv",
        "bench_queue",
        "bench_report",
        "bench_startup",
    } <= set(names)
    assert sorted(results["benchmarks"]) == names
    for name, entry in results["benchmarks"].items():
        assert entry["figures"], name
        for key, figure in entry["figures"].items():
            assert figure["value"] >= 0 and figure["unit"], (name, key)
            if "against" in figure:
                assert "ratio" in figure, (name, key)
    report = results["benchmarks"]["bench_report"]["figures"]
    assert report["report_seconds"]["ratio"] == pytest.approx(
        report["report_seconds"]["value"] / report["floor_seconds"]["value"]
    )
    assert "the report and the SQL agree on the numbers compared" in out
    assert "bench_report.report_seconds" in out  # the summary at the end


def test_a_figure_against_another_gets_its_ratio() -> None:
    figures: runner.Figures = {
        "ours": {"value": 3.0, "unit": "s", "against": "floor", "aim": 1.5},
        "floor": {"value": 2.0, "unit": "s"},
        "never": {"value": 1.0, "unit": "s", "against": "zero"},
        "zero": {"value": 0, "unit": "s"},
    }
    rows = runner.with_ratios(runner.checked("bench_x", figures))
    assert rows["ours"] == {"value": 3.0, "unit": "s", "against": "floor", "aim": 1.5, "ratio": 1.5}
    assert "ratio" not in rows["floor"]
    assert rows["never"]["ratio"] is None  # no ratio against nothing


@pytest.mark.parametrize(
    ("figures", "problem"),
    [
        (0, "must return its figures"),
        ({}, "must return its figures"),
        ({"a": {"unit": "s"}}, "no numeric value"),
        ({"a": {"value": True, "unit": "s"}}, "no numeric value"),
        ({"a": {"value": 1}}, "no unit"),
        ({"a": {"value": 1, "unit": "s", "against": "b"}}, "which it lacks"),
        ({"a": {"value": 1, "unit": "s", "note": "x"}}, "unknown keys"),
    ],
)
def test_figures_that_the_runner_cannot_use_are_refused(figures: object, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        runner.checked("bench_x", figures)


def test_the_runner_refuses_a_benchmark_that_does_not_exist(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as stop:
        runner.main(["bench_nothing"])
    assert stop.value.code == 2
    assert "no such benchmark: bench_nothing" in capsys.readouterr().err


def test_a_benchmark_that_fails_fails_the_run_and_is_named_in_the_results(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(runner, "discover", lambda: ["bench_broken"])  # no such module
    output = tmp_path / "results.json"
    assert runner.main(["--smoke", "--output", str(output)]) == 1
    results = json.loads(output.read_text(encoding="utf-8"))
    assert results["failed"] == ["bench_broken"]
    assert results["benchmarks"]["bench_broken"]["error"] == "exit code 1"
    out = capsys.readouterr().out
    assert "ModuleNotFoundError" in out and "0 of 1 benchmarks ran" in out
