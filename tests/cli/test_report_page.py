"""The report's page in Chromium: it shows the JSON's figures, fetches nothing, hides small counts.

Each test keeps a screenshot of the whole page and its printout on A4 in
tests/artifacts/ (listed at the end of the run).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from tests.cli.conftest import Invoke
from tests.cli.report_desk import CHAT_DAYS, PHONE_DAYS, fill

pytestmark = pytest.mark.browser

BREAKDOWNS = (
    "channel",
    "caller_type",
    "reason",
    "reason_group",
    "referral",
    "referral_mode",
    "referral_segment",
    "segment",
    "level",
    "identification",
    "language",
)
TARGET_MEASURES = {
    "callbacks.first_attempt": "callbacks_first_attempt",
    "callbacks.by_due": "callbacks_same_day",
    "messages.in_time": "messages_in_time",
}
"""The page's service level measures (besides answered.<channel>) and their JSON keys."""

TABLES = """() => Object.fromEntries([...document.querySelectorAll("table[id]")].map(table => [
    table.id,
    Object.fromEntries([...table.querySelectorAll("tbody tr")].map(row => [
        row.dataset.key ?? row.dataset.metric ?? row.dataset.start ?? row.dataset.weekday,
        [...row.querySelectorAll("td")].map(cell => cell.innerText),
    ])),
]))"""
"""Every table of the page as shown: id -> the key of a row -> its cells' text."""


@pytest.fixture
def desk(engine: Engine) -> Engine:
    return fill(engine)


def run(ohjaus: Invoke, *args: str, language: str = "en") -> str:
    result = ohjaus("report", "--month", "2025-03", *args, language=language)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture
def shown(
    browser: Any, artifact: Callable[[str], Path], tmp_path: Path
) -> Iterator[Callable[[str, str], Any]]:
    """Open an HTML file's text in a new tab, nothing but the file allowed to load;
    keep its screenshot and printout as ``NAME.png`` and ``NAME.pdf``."""
    pages: list[Any] = []
    outside: list[str] = []
    errors: list[str] = []

    def open_page(html: str, name: str) -> Any:
        path = tmp_path / f"{name}.html"
        path.write_text(html, encoding="utf-8")
        url = path.as_uri()
        page = browser.new_page(viewport={"width": 1100, "height": 900})
        pages.append(page)

        def only_the_file(route: Any) -> None:
            if route.request.url == url:
                route.continue_()
            else:
                outside.append(route.request.url)
                route.abort()

        page.route("**/*", only_the_file)

        def said(message: Any) -> None:
            if message.type == "error":
                errors.append(message.text)

        page.on("console", said)
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(url)
        page.screenshot(path=artifact(f"{name}.png"), full_page=True)
        printout = artifact(f"{name}.pdf")
        page.pdf(path=printout, prefer_css_page_size=True, print_background=True)
        pdf = printout.read_bytes()
        assert pdf.startswith(b"%PDF")
        assert len(re.findall(rb"/Type\s*/Page\b", pdf)) >= 2
        return page

    yield open_page
    for page in pages:
        page.close()
    assert outside == [], "the page asked for something besides itself"
    assert errors == []


# --- reading what the page shows ------------------------------------------------------------


def _plain(text: str) -> str:
    return "".join(text.split())  # Babel's spaces are no-break ones


def count_of(text: str) -> int | None:
    """A count as shown: ``1 234``; None for a hidden one (``<3``)."""
    plain = _plain(text)
    return None if plain.startswith("<") else int(plain)


def share_of(text: str) -> float | None:
    """A share as shown, ``48,6 %`` or ``48,6 % (17 / 35)``; None where it is not: hidden
    (empty, or ``<3 / 12`` for a ratio) or not measured (``–``)."""
    plain = _plain(text).split("(")[0]
    if not plain.endswith("%"):
        return None
    return float(plain.removesuffix("%").replace(",", ".")) / 100


def number_of(text: str) -> float | None:
    plain = _plain(text).replace("−", "-")
    return None if plain in ("", "–") else float(plain.replace(",", "."))


def seconds_of(text: str) -> float | None:
    """A wait as shown: ``45 s``, ``19 min``, ``3 h 05 min``, ``2 d 4 h``."""
    if _plain(text) in ("", "–"):
        return None
    units = {"s": 1, "min": 60, "h": 3600, "d": 86400}
    return float(sum(int(n) * units[unit] for n, unit in re.findall(r"(\d+)\s*(min|s|h|d)", text)))


def assert_share(text: str, share: float | None) -> None:
    if share is None:
        assert share_of(text) is None, text
    else:
        assert share_of(text) == pytest.approx(share, abs=0.0005), text


def assert_same_figures(tables: dict[str, dict[str, list[str]]], data: dict[str, Any]) -> None:
    """The figures of every table of the page are those of the JSON report."""
    for key in BREAKDOWNS:
        rows = tables[f"breakdown-{key}"]
        for code, figures in data[key].items():
            count, share, _ = rows[code]
            assert count_of(count) == figures["count"], (key, code)
            assert_share(share, figures["share"])
        if key in data["not_recorded"] and "not_recorded" in rows:
            assert count_of(rows["not_recorded"][0]) == data["not_recorded"][key], key
    for key in ("on_behalf", "resolved_first_contact", "many_services"):
        count, share = tables["flags-table"][key]
        assert count_of(count) == data[key]["count"], key
        assert_share(share, data[key]["share"])
    (not_recorded, _) = tables["flags-table"]["resolved_first_contact.not_recorded"]
    assert count_of(not_recorded) == data["not_recorded"]["resolved_first_contact"]
    services = tables["services-table"]
    assert list(services) == [service["code"] for service in data["referral_service"]]
    for service in data["referral_service"]:
        assert count_of(services[service["code"]][0]) == service["count"]
    feedback = tables["feedback-table"]
    assert count_of(feedback["responses"][0]) == data["feedback"]["responses"]
    mean = data["feedback"]["mean_score"]
    assert number_of(feedback["mean_score"][0]) == (None if mean is None else round(mean, 2))
    assert_share(feedback["helped"][0], data["feedback"]["share_helped"])

    level = data["service_level"]
    for channel, figures in level["channels"].items():
        offered, answered, abandoned, share, median, p90 = tables["service-level-table"][channel]
        assert count_of(offered) == figures["offered"], channel
        assert count_of(answered) == figures["answered"], channel
        assert count_of(abandoned) == figures["abandoned"], channel
        assert_share(share, figures["answered_share"])
        for text, seconds in (
            (median, figures["median_wait_seconds"]),
            (p90, figures["p90_wait_seconds"]),
        ):
            if seconds is None:
                assert seconds_of(text) is None, text
            else:
                assert seconds_of(text) == pytest.approx(seconds, abs=30), text
        assert_share(tables["target-table"][f"answered.{channel}"][0], figures["answered_share"])
    for metric, key in TARGET_MEASURES.items():
        assert_share(tables["target-table"][metric][0], level[key]["share"])

    grid = data["weekday_hour"]["counts"]
    heat = tables["weekday-hour-table"]
    for weekday, counts in zip(data["weekday_hour"]["weekdays"], grid, strict=True):
        *cells, total = heat[weekday]
        shown = [count_of(cell) for cell in cells]
        first = next(hour for hour in range(24) if any(row[hour] != 0 for row in grid))
        assert shown == counts[first : first + len(shown)], weekday
        assert not any(counts[:first]) and not any(counts[first + len(shown) :])
        if None not in counts:
            assert count_of(total) == sum(counts)

    comparison = data["comparison"]["metrics"]
    rows = tables["comparison-table"]
    assert list(rows) == list(comparison)
    for metric, figures in comparison.items():
        current, previous, _ = rows[metric]
        for text, value in ((current, figures["current"]), (previous, figures["previous"])):
            if figures["kind"] == "share":
                assert_share(text, value)
            elif figures["kind"] == "mean":
                assert number_of(text) == (None if value is None else round(value, 2)), metric
            else:
                assert count_of(text) == value, metric


# --- the tests ---------------------------------------------------------------------------------


def test_the_page_shows_the_figures_of_the_json_report(
    ohjaus: Invoke, desk: Engine, shown: Callable[[str, str], Any]
) -> None:
    data = json.loads(run(ohjaus, "--format", "json"))
    page = shown(run(ohjaus, "--format", "html"), "report-en")
    tables = page.evaluate(TABLES)
    assert count_of(page.inner_text("#contacts")) == data["contacts"] == 12
    assert_same_figures(tables, data)

    over_time = tables["over-time-table"]
    assert len(over_time) == 31
    channels = list(data["channel"])
    for channel in channels:
        column = channels.index(channel)
        assert (
            sum(count_of(row[column]) or 0 for row in over_time.values())
            == (data["channel"][channel]["count"])
        )
    assert sum(count_of(row[-1]) or 0 for row in over_time.values()) == data["contacts"]
    for day, hours in PHONE_DAYS.items():
        assert count_of(over_time[f"2025-03-{day:02d}"][channels.index("phone")]) == len(hours)
    for day, hours in CHAT_DAYS.items():
        assert count_of(over_time[f"2025-03-{day:02d}"][channels.index("chat")]) == len(hours)

    assert page.locator("h1").count() == 1
    charts = page.locator("svg.chart")
    assert charts.count() == 4
    for index in range(charts.count()):
        chart = charts.nth(index)
        assert chart.get_attribute("role") == "img"
        title = page.locator(f"#{chart.get_attribute('aria-labelledby')}")
        assert title.text_content()
        assert chart.locator("xpath=ancestor::section[1]//table").count() >= 1
    verdicts = {metric: cells[-1] for metric, cells in tables["target-table"].items()}
    assert verdicts["answered.chat"] == "below the target"  # 3 of 4
    assert verdicts["answered.message"] == "target met"  # 1 of 1
    assert page.locator("#target-chart rect[data-met=no]").count() == sum(
        verdict == "below the target" for verdict in verdicts.values()
    )


def test_small_counts_stay_hidden_on_the_page(
    ohjaus: Invoke, desk: Engine, shown: Callable[[str, str], Any]
) -> None:
    data = json.loads(run(ohjaus, "--format", "json", "--suppress-below", "3"))
    page = shown(
        run(ohjaus, "--format", "html", "--suppress-below", "3", language="fi"),
        "report-fi-suppressed",
    )
    tables = page.evaluate(TABLES)
    assert page.locator("html").get_attribute("lang") == "fi"
    assert "Alle 3:n lukumäärät näytetään muodossa <3." in page.inner_text("#suppressed")
    assert data["channel"]["message"]["count"] is None
    assert_same_figures(tables, data)

    hidden_bars = page.locator("#over-time-chart rect[fill^='url(#']")
    assert hidden_bars.count() == 4  # phone 2 on 4.3. and 1 on 10.3., chat 1, the message
    heights = {hidden_bars.nth(i).get_attribute("height") for i in range(hidden_bars.count())}
    assert len(heights) == 1
    titles = hidden_bars.locator("title").all_text_contents()
    assert all(title.endswith(": <3") for title in titles), titles
    hidden_cells = page.locator("#weekday-hour-chart g:has(rect[fill^='url(#'])")
    assert hidden_cells.count() == sum(
        count is None for row in data["weekday_hour"]["counts"] for count in row
    )
    for title in hidden_cells.locator("title").all_text_contents():
        assert title.endswith(": <3")
    for value in hidden_cells.locator("text").all_text_contents():
        assert value == "<3"
