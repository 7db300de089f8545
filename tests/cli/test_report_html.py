"""``ohjaus report --format html``: one page that stands alone, in the desk's language.

What a browser shows of it, checked against the JSON, is in test_report_page.py.
"""

from __future__ import annotations

import re
import stat
from pathlib import Path

import pytest
from sqlalchemy import Engine

from ohjaus_tui.words import Texts
from tests.cli.conftest import Invoke
from tests.cli.report_desk import HOME_CARE, ISLANDS, fill


@pytest.fixture
def desk(engine: Engine) -> Engine:
    return fill(engine)


def page(ohjaus: Invoke, *args: str, language: str = "en") -> str:
    result = ohjaus("report", "--month", "2025-03", "--format", "html", *args, language=language)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_the_page_is_in_the_desks_language(ohjaus: Invoke, desk: Engine, language: str) -> None:
    html = page(ohjaus, language=language)
    words = Texts(language)
    assert html.startswith("<!DOCTYPE html>")
    assert f'<html lang="{language}">' in html
    assert f"<h1>{words('report.title')} 2025-03</h1>" in html
    for heading in ("report.html.over_time.day", "report.service_level", "report.weekday_hour"):
        assert words(heading) in html


def test_the_page_needs_nothing_from_outside(ohjaus: Invoke, desk: Engine) -> None:
    html = page(ohjaus, "--suppress-below", "3")  # hatched figures: patterns of its own
    lowered = html.lower()
    for outside in ("http:", "https:", "//", "<script", "<link", "<img", "<iframe", "@import"):
        assert outside not in lowered.replace("</", "<"), outside
    assert " src=" not in lowered
    assert set(re.findall(r"url\((.)", html)) == {"#"}  # the page's own patterns only
    assert "<style>" in html
    assert html.count("<svg") >= 4


def test_names_and_labels_from_the_database_are_text(ohjaus: Invoke, desk: Engine) -> None:
    html = page(ohjaus)
    assert "Kotihoito &lt;b&gt;&amp;&lt;/b&gt; &quot;Kokkola&quot;" in html
    assert HOME_CARE not in html
    assert "Islands &lt;i&gt;" in html
    assert ISLANDS.en not in html
    assert "<b>" not in html and "<i>" not in html


def test_the_service_level_target(ohjaus: Invoke, desk: Engine) -> None:
    assert "target 90,0" in page(ohjaus).replace("\xa0", " ")
    assert "target 95,0" in page(ohjaus, "--target", "95%").replace("\xa0", " ")
    assert "target 100,0" in page(ohjaus, "--target", "1").replace("\xa0", " ")
    for wrong in ("0", "0 %", "150%", "lots", "nan"):
        result = ohjaus("report", "--month", "2025-03", "--format", "html", "--target", wrong)
        assert result.exit_code == 2, wrong
        assert "give a share" in result.stderr
    json_with_target = ohjaus("report", "--format", "json", "--target", "0.9")
    assert json_with_target.exit_code == 2
    assert json_with_target.stderr.strip() == (
        "ohjaus: --target is the service level target of --format html, not of json"
    )


def test_small_counts_are_hidden_as_in_the_table(ohjaus: Invoke, desk: Engine) -> None:
    html = page(ohjaus, "--suppress-below", "3")
    assert "Counts under 3 are shown as &lt;3." in html
    tuesday = re.search(r'<tr data-start="2025-03-04">(.*?)</tr>', html)
    assert tuesday is not None
    assert re.findall(r'<td data-channel="(\w+)">([^<]*)</td>', tuesday.group(1)) == [
        ("phone", "&lt;3"),
        ("chat", "0"),
        ("message", "0"),
    ]
    # a hidden count's bar is hatched at one height, whatever the count (1 or 2 here)
    hidden_bars = re.findall(
        r'<rect x="[\d.]+" y="([\d.]+)" width="[\d.]+" height="([\d.]+)" '
        r'fill="url\(#over-time-chart-hatch-\d\)"[^>]*><title>[^<]*: &lt;3</title>',
        html,
    )
    assert len(hidden_bars) == 4  # phone on 4.3. and 10.3., chat on 5.3., the message
    assert len(set(hidden_bars)) == 1
    table = page(ohjaus)
    assert '<td data-channel="phone">2</td>' in table


def test_the_page_to_a_file(ohjaus: Invoke, desk: Engine, tmp_path: Path) -> None:
    target = tmp_path / "steering-group.html"
    result = ohjaus("report", "--month", "2025-03", "--format", "html", "--output", str(target))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_an_empty_period_is_a_short_page(ohjaus: Invoke, desk: Engine) -> None:
    result = ohjaus("report", "--month", "2024-01", "--format", "html")
    assert result.exit_code == 0, result.output
    html = result.stdout
    assert Texts("en")("report.no_contacts") in html
    assert 'id="service-level"' in html
    assert 'id="over-time"' not in html and 'id="weekday-hour"' not in html
