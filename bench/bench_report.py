"""How fast ``ohjaus report --year`` is against the best plain SQL for the same numbers.

    .venv/bin/python bench/bench_report.py [--contacts 1000000] [--years 6] [--keep FILE]

Generates N logged contacts over several years (with their queue items,
callback attempts, reasons and a directory of services, in the proportions of
a mid-sized county desk's year) straight into a temporary SQLite file with bulk
inserts, then times

* ``ohjaus --db FILE report --year Y --format json`` run in-process (the Typer
  app called as the console script would call it; Python's start-up and
  imports are not counted: they are the same for every command), best of
  ``--runs``, and, for information, the same command as a subprocess;
* the floor: the minimal set of SQL statements computing the same numbers
  (:data:`FLOOR_SQL`), run with the ``sqlite3`` shell on the same file, best
  of ``--runs``;

and prints both times and their ratio. Y is the last generated year, so that
the comparison with the previous year has data. The figures of the two are
compared, so that the floor is known to compute the same numbers.

Needs the ``sqlite3`` command-line shell (Debian: ``apt-get install sqlite3``).
"""

from __future__ import annotations

import argparse
import bisect
import json
import math
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from typing import TYPE_CHECKING, Any

from typer.testing import CliRunner

from ohjaus_tui.cli.app import app
from ohjaus_tui.domain.calendar import HELSINKI, DeskCalendar
from ohjaus_tui.domain.codes import Channel, Role
from ohjaus_tui.domain.period import Period
from ohjaus_tui.services.actor import Actor, os_user_name
from ohjaus_tui.services.database import open_desk
from ohjaus_tui.services.operators import add_operator, operator_for_os_user

if TYPE_CHECKING:
    from bench.runner import Figures

SMOKE = ["--contacts", "400", "--years", "1", "--runs", "1"]
"""A run small enough for the test suite (see bench/runner.py)."""
FIRST_YEAR = 2019
BATCH = 20_000

CHANNELS = (("phone", 54), ("chat", 42), ("message", 4))
CALLER_TYPES = (("client", 66), ("relative", 19), ("professional", 5), ("unknown", 10))
FIRST_REASONS = (
    ("health", 58),
    ("social", 12),
    ("appointment", 10),
    ("contact_info", 6),
    ("digital_support", 5),
    ("own_documents", 3),
    ("on_behalf", 3),
    ("other", 3),
)
REFERRALS = (("none", 73), ("internal", 25), ("external", 2))
LEVELS = (("1", 30), ("2", 40), ("3", 25), ("4", 5))
LANGUAGES = (("fi", 90), ("sv", 7), ("en", 2), ("other", 1))
SEGMENTS = (
    "older_people",
    "disability",
    "mental_substance",
    "children_families",
    "working_age",
    "health",
    "urgent",
)
SCORES = ((5, 50), (4, 30), (3, 10), (2, 5), (1, 5))
SERVICES = 300


def _weighted(pairs: Sequence[tuple[Any, int]]) -> tuple[list[Any], list[int]]:
    values = [value for value, _ in pairs]
    cumulative: list[int] = []
    total = 0
    for _, weight in pairs:
        total += weight
        cumulative.append(total)
    return values, cumulative


class Picker:
    """Fast weighted choice."""

    def __init__(self, rng: random.Random, pairs: Sequence[tuple[Any, int]]) -> None:
        self.rng = rng
        self.values, self.cumulative = _weighted(pairs)
        self.total = self.cumulative[-1]

    def __call__(self) -> Any:
        return self.values[bisect.bisect_right(self.cumulative, self.rng.random() * self.total)]


def stamp(value: datetime) -> str:
    """How SQLAlchemy stores a UTC instant in SQLite (see db/types.py)."""
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


@dataclass
class Counts:
    contacts: int = 0
    items: int = 0
    attempts: int = 0
    reasons: int = 0


class Generator:
    """Writes contacts, queue items, callback attempts and reasons in batches."""

    def __init__(self, connection: sqlite3.Connection, rng: random.Random, years: int) -> None:
        self.db = connection
        self.rng = rng
        self.calendar = DeskCalendar()
        first = date(FIRST_YEAR, 1, 1)
        last = date(FIRST_YEAR + years - 1, 12, 31)
        days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
        self.days = days
        self.business_days = [day for day in days if self.calendar.is_business_day(day)]
        self.channel = Picker(rng, CHANNELS)
        self.caller = Picker(rng, CALLER_TYPES)
        self.reason = Picker(rng, FIRST_REASONS)
        self.referral = Picker(rng, REFERRALS)
        self.level = Picker(rng, LEVELS)
        self.language = Picker(rng, LANGUAGES)
        self.score = Picker(rng, SCORES)
        self.services = self._services()
        county = [s for s in self.services if s[3] == "county"]
        other = [s for s in self.services if s[3] != "county"]
        # Zipf-like: a few services take most referrals (health centres).
        self.internal = Picker(rng, [(s, max(1, 1000 // (n + 1))) for n, s in enumerate(county)])
        self.external = Picker(rng, [(s, max(1, 1000 // (n + 1))) for n, s in enumerate(other)])
        self._due: dict[date, str] = {}
        self._callback: dict[tuple[date, int], tuple[str, str]] = {}
        self.counts = Counts()
        self.item_id = 0
        self.contact_id = 0
        self.attempt_id = 0
        self.items: list[tuple[Any, ...]] = []
        self.attempts: list[tuple[Any, ...]] = []
        self.contacts: list[tuple[Any, ...]] = []
        self.reasons: list[tuple[int, str]] = []

    def _services(self) -> list[tuple[int, str, str, str, str]]:
        providers = ("county", "county", "county", "municipality", "third_sector", "kela")
        rows = []
        now = stamp(datetime(FIRST_YEAR, 1, 1, tzinfo=UTC))
        for n in range(SERVICES):
            segment = SEGMENTS[n % len(SEGMENTS)]
            provider = providers[n % len(providers)]
            code = f"bench-{n:03d}"
            name = f"Palvelu {n:03d} ({segment})"
            rows.append((n + 1, code, name, provider, segment))
        self.db.executemany(
            "INSERT INTO service (id, code, name_fi, segment, provider_type, search_text, "
            "active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)",
            [
                (i, code, name, seg, prov, name.lower(), now, now)
                for i, code, name, prov, seg in rows
            ],
        )
        return [(i, code, name, prov, seg) for i, code, name, prov, seg in rows]

    # --- instants ------------------------------------------------------------------

    def _local(self, day: date, seconds: int) -> datetime:
        hour, rest = divmod(seconds, 3600)
        wall = datetime.combine(day, clock(hour, rest // 60, rest % 60), tzinfo=HELSINKI)
        return wall.astimezone(UTC)

    def _arrival(self, channel: str) -> datetime:
        rng = self.rng
        if channel == "chat" or (channel == "phone" and rng.random() < 0.85):
            day = self.business_days[rng.randrange(len(self.business_days))]
            return self._local(day, 9 * 3600 + rng.randrange(6 * 3600))
        day = self.days[rng.randrange(len(self.days))]
        return self._local(day, rng.randrange(24 * 3600))

    def _message_due(self, received: datetime) -> str:
        day = received.astimezone(HELSINKI).date()
        due = self._due.get(day)
        if due is None:
            due = self._due[day] = stamp(self.calendar.message_due(received))
        return due

    def _callback_times(self, received: datetime) -> tuple[datetime, str]:
        """(available_at, due_at) of a callback request."""
        if self.calendar.is_open(Channel.PHONE, received):
            return received, stamp(self.calendar.callback_due(received))
        local = received.astimezone(HELSINKI)
        key = (local.date(), 0 if local.hour < 9 else 1)
        cached = self._callback.get(key)
        if cached is None:
            opening = self.calendar.next_opening(Channel.PHONE, received)
            cached = self._callback[key] = (
                stamp(opening),
                stamp(self.calendar.callback_due(received)),
            )
        return datetime.fromisoformat(cached[0]).replace(tzinfo=UTC), cached[1]

    # --- rows ------------------------------------------------------------------------

    def arrivals(self, count: int) -> list[tuple[datetime, str]]:
        """``count`` contact requests over the years, in order of arrival."""
        drawn = []
        for _ in range(count):
            channel = self.channel()
            drawn.append((self._arrival(channel), channel))
        drawn.sort()
        return drawn

    def add_item(self, received: datetime, channel: str) -> None:
        rng = self.rng
        self.item_id += 1
        item_id = self.item_id
        available = received
        due: str | None = None
        answered: datetime | None = None
        status = "closed"
        close_reason = "handled"
        if channel == "phone":
            available, due = self._callback_times(received)
            at = available
            for attempt_no in (1, 2, 3):
                at = at + timedelta(seconds=int(rng.expovariate(1 / 1200)) + 30)
                reached = rng.random() < (0.8 if attempt_no == 1 else 0.85)
                self.attempt_id += 1
                self.attempts.append(
                    (
                        self.attempt_id,
                        item_id,
                        attempt_no,
                        stamp(at),
                        "reached" if reached else "no_answer",
                    )
                )
                if reached:
                    answered = at
                    break
                at = at + timedelta(minutes=10)
            if answered is None:
                status, close_reason = "abandoned", "no_answer"
        elif channel == "chat":
            if rng.random() < 0.04:
                status, close_reason = "abandoned", "client_left"
            else:
                answered = received + timedelta(seconds=int(rng.expovariate(1 / 90)) + 5)
        else:
            due = self._message_due(received)
            answered = received + timedelta(seconds=int(rng.expovariate(1 / 72000)) + 60)
        closed = (answered or received) + timedelta(minutes=rng.randrange(2, 30))
        self.items.append(
            (
                item_id,
                channel,
                stamp(received),
                stamp(available),
                due,
                status,
                stamp(answered) if answered else None,
                stamp(closed),
                close_reason,
                stamp(closed),
            )
        )
        if answered is not None:
            self.add_contact(item_id, channel, received, closed)

    def add_contact(self, item_id: int, channel: str, started: datetime, logged: datetime) -> None:
        rng = self.rng
        self.contact_id += 1
        contact_id = self.contact_id
        first = self.reason()
        self.reasons.append((contact_id, first))
        if rng.random() < 0.18:
            second = self.reason()
            if second != first:
                self.reasons.append((contact_id, second))
        referral = self.referral()
        mode = service = None
        if referral != "none":
            mode = "handoff" if rng.random() < 0.5 else "instructed"
            service = self.internal() if referral == "internal" else self.external()
        feedback = channel == "chat" and rng.random() < 0.35
        resolved = rng.random()
        self.contacts.append(
            (
                contact_id,
                item_id,
                stamp(started),
                stamp(logged),
                channel,
                self.caller(),
                SEGMENTS[rng.randrange(len(SEGMENTS))] if rng.random() < 0.7 else None,
                self.level() if rng.random() < 0.85 else None,
                int(channel == "message" or rng.random() < (0.6 if channel == "chat" else 0.8)),
                int(rng.random() < 0.12),
                self.language(),
                referral,
                mode,
                service[0] if service else None,
                service[1] if service else None,
                service[2] if service else None,
                service[4] if service else None,
                None if resolved < 0.05 else int(resolved < 0.8),
                int(rng.random() < 0.04),
                5 if feedback else None,
                self.score() if feedback else None,
                (int(rng.random() < 0.88) if feedback else None),
            )
        )

    def flush(self) -> None:
        db = self.db
        db.executemany(
            "INSERT INTO queue_item (id, channel, received_at, available_at, due_at, status, "
            "first_answered_at, closed_at, close_reason, updated_at, identified, on_behalf, "
            "language) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 'fi')",
            self.items,
        )
        db.executemany(
            "INSERT INTO callback_attempt (id, item_id, attempt_no, at, outcome) "
            "VALUES (?, ?, ?, ?, ?)",
            self.attempts,
        )
        db.executemany(
            "INSERT INTO contact_log (id, item_id, source, started_at, logged_at, channel, "
            "caller_type, segment, level, identified, on_behalf, language, referral, "
            "referral_mode, referral_service_id, referral_service_code, referral_service_name, "
            "referral_segment, resolved_first_contact, many_services, feedback_scale, "
            "feedback_score, helped) VALUES (?, ?, 'desk', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
            "?, ?, ?, ?, ?, ?, ?, ?)",
            self.contacts,
        )
        db.executemany(
            "INSERT INTO contact_reason (contact_id, reason) VALUES (?, ?)", self.reasons
        )
        self.counts.items += len(self.items)
        self.counts.attempts += len(self.attempts)
        self.counts.contacts += len(self.contacts)
        self.counts.reasons += len(self.reasons)
        self.items, self.attempts, self.contacts, self.reasons = [], [], [], []


ANSWERED = 0.54 * (1 - 0.2 * 0.15 * 0.15) + 0.42 * 0.96 + 0.04
"""The expected share of requests that end in a logged contact (see add_item)."""


def generate(path: Path, contacts: int, years: int, seed: int = 20240601) -> Counts:
    """A desk database at ``path`` with ``contacts`` logged contacts over ``years`` years.

    Rows are written in order of arrival, ids ascending, as a desk writes them.
    """
    engine = open_desk(f"sqlite:///{path}")
    engine.dispose()
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode = OFF")
    connection.execute("PRAGMA synchronous = OFF")
    connection.execute("BEGIN")
    generator = Generator(connection, random.Random(seed), years)
    arrivals = generator.arrivals(math.ceil(contacts / ANSWERED))
    last = arrivals[-1][0]
    for received, channel in arrivals:
        generator.add_item(received, channel)
        if generator.contact_id >= contacts:
            break
        if len(generator.contacts) >= BATCH:
            generator.flush()
    while generator.contact_id < contacts:  # the draw fell short by a few
        generator.add_item(last, "message")
    generator.flush()
    connection.execute("COMMIT")
    connection.execute("PRAGMA journal_mode = WAL")
    connection.close()
    return generator.counts


# --- the floor: the same numbers in plain SQL, run by the sqlite3 shell -----------------------


def _codes(path: Path, list_name: str) -> list[str]:
    with sqlite3.connect(path) as connection:
        rows = connection.execute(
            "SELECT code FROM code WHERE list = ? ORDER BY sort_order, code", (list_name,)
        ).fetchall()
    return [code for (code,) in rows]


def _counts(column: str, codes: Sequence[str]) -> str:
    return ", ".join(f"count(CASE WHEN {column} = '{code}' THEN 1 END)" for code in codes)


def floor_sql(path: Path, year: int, now: datetime) -> str:
    """The minimal set of statements that computes what ``report --year`` shows.

    Hand-tuned for SQLite: conditional counts in one pass over the year's
    contacts; reasons and reason groups in one pass over the reasons (a
    contact counts once per group: an earlier reason of the same group is
    probed by primary key); waits and their nearest-rank percentiles with
    window functions; repeat contacts by channel and by reason. The previous
    year needs the compared figures only. (Consultations and follow-ups, which
    the generated desk has none of, cost the report nothing to speak of here.)
    """
    start, end = Period.year(year).utc_bounds(HELSINKI)
    before, _ = Period.year(year - 1).utc_bounds(HELSINKI)
    lists = {
        "channel": _codes(path, "channel"),
        "caller_type": _codes(path, "caller_type"),
        "referral": _codes(path, "referral"),
        "referral_mode": _codes(path, "referral_mode"),
        "referral_segment": _codes(path, "segment"),
        "segment": _codes(path, "segment"),
        "level": _codes(path, "level"),
        "language": _codes(path, "language"),
    }
    with sqlite3.connect(path) as connection:
        groups = dict(
            connection.execute(
                "SELECT code, report_group FROM code WHERE list = 'reason'"
            ).fetchall()
        )
    health = ", ".join(f"'{c}'" for c, g in groups.items() if g == "health")
    social = ", ".join(f"'{c}'" for c, g in groups.items() if g == "social")
    now_text = stamp(now)

    def log_totals(label: str, lo: datetime, hi: datetime, columns: dict[str, list[str]]) -> str:
        counts = ", ".join(_counts(column, codes) for column, codes in columns.items())
        return (
            f"SELECT '{label}', count(*), count(CASE WHEN identified THEN 1 END), "
            "count(CASE WHEN on_behalf THEN 1 END), count(CASE WHEN many_services THEN 1 END), "
            "count(CASE WHEN resolved_first_contact THEN 1 END), count(resolved_first_contact), "
            "count(referral_segment), count(feedback_score), "
            "coalesce(sum(CASE WHEN feedback_scale = 3 THEN 2 * feedback_score - 1 "
            "ELSE feedback_score END), 0), count(helped), count(CASE WHEN helped THEN 1 END), "
            f"{counts} FROM contact_log "
            f"WHERE started_at >= '{stamp(lo)}' AND started_at < '{stamp(hi)}';"
        )

    def queue(label: str, lo: datetime, hi: datetime) -> str:
        return (
            f"SELECT '{label}', channel, count(*), count(first_answered_at), "
            "count(CASE WHEN status = 'abandoned' THEN 1 END), "
            "count(CASE WHEN first_answered_at <= due_at THEN 1 END), "
            f"count(CASE WHEN first_answered_at IS NOT NULL OR due_at <= '{now_text}' THEN 1 END), "
            f"count(CASE WHEN due_at <= '{now_text}' THEN 1 END) FROM queue_item "
            f"WHERE received_at >= '{stamp(lo)}' AND received_at < '{stamp(hi)}' GROUP BY channel;"
        )

    def callbacks(label: str, lo: datetime, hi: datetime) -> str:
        return (
            f"SELECT '{label}', count(*), count(CASE WHEN a.outcome = 'reached' THEN 1 END), "
            "count(CASE WHEN a.at <= q.due_at THEN 1 END), "
            f"count(CASE WHEN q.due_at > '{now_text}' THEN 1 END) "
            "FROM queue_item q JOIN callback_attempt a ON a.item_id = q.id AND a.attempt_no = 1 "
            f"WHERE q.channel = 'phone' AND q.received_at >= '{stamp(lo)}' "
            f"AND q.received_at < '{stamp(hi)}';"
        )

    year_range = f"c.started_at >= '{stamp(start)}' AND c.started_at < '{stamp(end)}'"
    statements = [
        log_totals("log", start, end, lists),
        "SELECT 'reason', r.reason, count(*), count(CASE "
        f"WHEN r.reason IN ({health}) THEN 1 WHEN r.reason IN ({social}) THEN 1 "
        "WHEN NOT EXISTS (SELECT 1 FROM contact_reason r2 WHERE r2.contact_id = r.contact_id "
        f"AND r2.reason < r.reason AND r2.reason NOT IN ({health}, {social})) THEN 1 END) "
        f"FROM contact_reason r JOIN contact_log c ON c.id = r.contact_id WHERE {year_range} "
        "GROUP BY r.reason;",
        "SELECT 'hour', substr(started_at, 1, 13) AS h, count(*) FROM contact_log "
        f"WHERE started_at >= '{stamp(start)}' AND started_at < '{stamp(end)}' GROUP BY h;",
        "SELECT 'service', referral_service_code, max(referral_service_name), count(*) AS n "
        f"FROM contact_log WHERE started_at >= '{stamp(start)}' AND started_at < '{stamp(end)}' "
        "AND referral_service_code IS NOT NULL GROUP BY referral_service_code "
        "ORDER BY n DESC, referral_service_code;",
        queue("queue", start, end),
        callbacks("callbacks", start, end),
        "WITH w AS (SELECT channel, unixepoch(first_answered_at) - unixepoch(CASE "
        "WHEN channel = 'phone' AND available_at > received_at THEN available_at "
        "ELSE received_at END) AS s FROM queue_item "
        f"WHERE received_at >= '{stamp(start)}' AND received_at < '{stamp(end)}' "
        "AND first_answered_at IS NOT NULL), "
        "r AS (SELECT channel, s, row_number() OVER (PARTITION BY channel ORDER BY s) AS k, "
        "count(*) OVER (PARTITION BY channel) AS n FROM w) "
        "SELECT 'wait', channel, min(CASE WHEN k >= 0.5 * n THEN s END), "
        "min(CASE WHEN k >= 0.9 * n THEN s END) FROM r GROUP BY channel;",
        # "one contact is enough": contacts resolved at once, and repeats recognised by the
        # number's earlier contacts counted at intake; by channel and by reason
        "SELECT 'repeat', c.channel, count(*), "
        "count(CASE WHEN c.resolved_first_contact THEN 1 END), count(q.earlier_contacts), "
        "count(CASE WHEN q.earlier_contacts > 0 THEN 1 END) "
        f"FROM contact_log c LEFT JOIN queue_item q ON q.id = c.item_id WHERE {year_range} "
        "GROUP BY c.channel;",
        "SELECT 'repeat_reason', r.reason, count(*), "
        "count(CASE WHEN c.resolved_first_contact THEN 1 END), count(q.earlier_contacts), "
        "count(CASE WHEN q.earlier_contacts > 0 THEN 1 END) "
        "FROM contact_log c JOIN contact_reason r ON r.contact_id = c.id "
        f"LEFT JOIN queue_item q ON q.id = c.item_id WHERE {year_range} GROUP BY r.reason;",
        log_totals(
            "previous", before, start, {"channel": lists["channel"], "referral": lists["referral"]}
        ),
        queue("previous_queue", before, start),
        callbacks("previous_callbacks", before, start),
    ]
    return "\n".join(statements) + "\n"


def run_floor(path: Path, sql: str) -> tuple[float, dict[str, list[list[str]]]]:
    """Run the statements with the sqlite3 shell; (wall seconds, rows by label)."""
    started = time.perf_counter()
    done = subprocess.run(
        ["sqlite3", "-readonly", str(path)], input=sql, capture_output=True, text=True, check=True
    )
    seconds = time.perf_counter() - started
    rows: dict[str, list[list[str]]] = {}
    for line in done.stdout.splitlines():
        label, *values = line.split("|")
        rows.setdefault(label, []).append(values)
    return seconds, rows


# --- ohjaus report ------------------------------------------------------------------------------


def a_lead_runs_the_report(path: Path) -> None:
    """Map the OS account running the benchmark to a lead of the desk (reports need the
    lead role), unless it is mapped already (a kept database)."""
    engine = open_desk(f"sqlite:///{path}")
    try:
        if operator_for_os_user(engine, os_user_name()) is None:
            founder = Actor("bench", role=Role.ADMIN)
            add_operator(
                engine, "Bench lead", role=Role.LEAD, os_user=os_user_name(), actor=founder
            )
    finally:
        engine.dispose()


def run_report(path: Path, year: int) -> tuple[float, dict[str, Any]]:
    """``ohjaus --db FILE report --year Y --format json`` in-process; (seconds, its JSON)."""
    runner = CliRunner()
    args = ["--db", str(path), "report", "--year", str(year), "--format", "json"]
    started = time.perf_counter()
    result = runner.invoke(app, args)
    seconds = time.perf_counter() - started
    if result.exit_code != 0:
        raise SystemExit(f"ohjaus report failed: {result.output}")
    data: dict[str, Any] = json.loads(result.stdout)
    return seconds, data


def run_report_process(path: Path, year: int) -> float:
    command = [sys.executable, "-m", "ohjaus_tui", "--db", str(path), "report", "--year"]
    started = time.perf_counter()
    subprocess.run([*command, str(year), "--format", "json"], capture_output=True, check=True)
    return time.perf_counter() - started


def check_same_numbers(data: dict[str, Any], rows: dict[str, list[list[str]]]) -> list[str]:
    """Where the report and the floor disagree (empty when they agree)."""
    problems: list[str] = []

    def same(what: str, ours: Any, floor: Any) -> None:
        if ours != floor:
            problems.append(f"{what}: report {ours!r}, SQL {floor!r}")

    log = [int(value) for value in rows["log"][0]]
    same("contacts", data["contacts"], log[0])
    same("identified", data["identification"]["identified"]["count"], log[1])
    same("feedback responses", data["feedback"]["responses"], log[7])
    channels = list(data["channel"])
    for index, code in enumerate(channels):
        same(f"channel {code}", data["channel"][code]["count"], log[11 + index])
    reasons = {row[0]: (int(row[1]), int(row[2])) for row in rows["reason"]}
    for code, (count, _) in reasons.items():
        same(f"reason {code}", data["reason"][code]["count"], count)
    groups = {"health": 0, "social": 0, "other": 0}
    with_group = {"health": "health", "social": "social"}
    for code, (_, first) in reasons.items():
        groups[with_group.get(code, "other")] += first
    for group, count in groups.items():
        same(f"reason group {group}", data["reason_group"][group]["count"], count)
    same(
        "hours", sum(map(sum, data["weekday_hour"]["counts"])), sum(int(r[1]) for r in rows["hour"])
    )
    services = [(row[0], int(row[2])) for row in rows["service"]]
    same(
        "referral services",
        [(s["code"], s["count"]) for s in data["referral_service"]],
        services,
    )
    for channel, *values in rows["queue"]:
        level = data["service_level"]["channels"][channel]
        same(f"offered {channel}", level["offered"], int(values[0]))
        same(f"answered {channel}", level["answered"], int(values[1]))
    for channel, median, p90 in rows["wait"]:
        level = data["service_level"]["channels"][channel]
        same(f"median wait {channel}", level["median_wait_seconds"], int(median))
        same(f"p90 wait {channel}", level["p90_wait_seconds"], int(p90))
    callbacks = [int(value) for value in rows["callbacks"][0]]
    first = data["service_level"]["callbacks_first_attempt"]
    same("callbacks attempted", first["attempted"], callbacks[0])
    same("callbacks reached first", first["reached"], callbacks[1])
    previous = data["comparison"]["metrics"]["contacts"]["previous"]
    same("previous contacts", previous, int(rows["previous"][0][0]))
    return problems


def main(argv: list[str] | None = None) -> Figures:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--years", type=int, default=6, help="years of contacts, from 2019")
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each; the best counts")
    parser.add_argument("--keep", type=Path, help="keep the generated database here (reused)")
    args = parser.parse_args(argv)
    if shutil.which("sqlite3") is None:
        raise SystemExit("the sqlite3 shell is missing: apt-get install sqlite3")
    year = FIRST_YEAR + args.years - 1
    with tempfile.TemporaryDirectory() as folder:
        path = args.keep or Path(folder) / "report.db"
        generated: float | None = None
        if not path.exists():
            started = time.perf_counter()
            counts = generate(path, args.contacts, args.years)
            generated = time.perf_counter() - started
            print(
                f"generated {counts.contacts:,} contacts ({counts.reasons:,} reasons), "
                f"{counts.items:,} queue items, {counts.attempts:,} callback attempts "
                f"over {FIRST_YEAR}-{year} in {generated:.1f} s "
                f"({path.stat().st_size / 1e6:.0f} MB)"
            )
        a_lead_runs_the_report(path)
        sql = floor_sql(path, year, datetime.now(UTC))
        run_report(path, year)  # warm the page cache and the imports
        run_floor(path, sql)
        # Alternate the two, so that other work on the machine slows both alike.
        ours_times: list[float] = []
        floor_times: list[float] = []
        for _ in range(args.runs):
            seconds, data = run_report(path, year)
            ours_times.append(seconds)
            seconds, rows = run_floor(path, sql)
            floor_times.append(seconds)
        ours, floor = min(ours_times), min(floor_times)
        process = min(run_report_process(path, year) for _ in range(max(1, args.runs // 2)))
    problems = check_same_numbers(data, rows)
    print(f"report --year {year}: {data['contacts']:,} contacts in the year")
    print(
        f"ohjaus report --year {year} --format json (in-process): {ours:6.3f} s "
        f"(best of {args.runs}; median {statistics.median(ours_times):.3f} s)"
    )
    print(
        f"the same numbers in SQL, sqlite3 shell (the floor):    {floor:6.3f} s "
        f"(best of {args.runs}; median {statistics.median(floor_times):.3f} s)"
    )
    print(f"ratio: {ours / floor:.2f}x (aim: within 1.5x)")
    print(f"for information, as a new process (Python start-up and imports too): {process:.3f} s")
    if problems:
        raise SystemExit("\n  ".join(["the numbers differ:", *problems]))
    print("the report and the SQL agree on the numbers compared")
    figures: Figures = {
        "contacts_in_year": {"value": data["contacts"], "unit": "contacts"},
        "report_seconds": {"value": ours, "unit": "s", "against": "floor_seconds", "aim": 1.5},
        "floor_seconds": {"value": floor, "unit": "s"},
        # The command as people start it: Python's start-up and imports count too.
        "process_seconds": {
            "value": process,
            "unit": "s",
            "against": "floor_seconds",
            "aim": 1.3,
        },
    }
    if generated is not None:
        figures["generate_seconds"] = {"value": generated, "unit": "s"}
    return figures


if __name__ == "__main__":
    main()
