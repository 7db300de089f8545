"""``ohjaus intake`` and ``ohjaus queue``: feeding and looking at the live queue."""

from __future__ import annotations

import re
import sys
import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ohjaus_tui.cli.common import (
    OutputFormat,
    cli_context,
    console,
    err_console,
    print_json,
    progress_bar,
)
from ohjaus_tui.domain.calendar import utcnow
from ohjaus_tui.domain.codes import Channel, Role
from ohjaus_tui.domain.phones import format_for_dialling
from ohjaus_tui.domain.traffic import TrafficModel
from ohjaus_tui.errors import BadInput
from ohjaus_tui.present.staffing import staffing_line
from ohjaus_tui.services.codelists import codebook
from ohjaus_tui.services.desk import Desk
from ohjaus_tui.services.desk_config import DeskConfig
from ohjaus_tui.services.intake import run_intake
from ohjaus_tui.services.queue import QueueService
from ohjaus_tui.services.simulate import Simulator, SimulatorConfig
from ohjaus_tui.words import N_
from ohjaus_tui.words.errors import COMMAND_LINE_REASONS, reason_in

app = typer.Typer(help="The live queue: what waits, who is on which channel.", no_args_is_help=True)

PROGRESS_FROM_LINES = 2_000
_DURATION = re.compile(r"^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s?)?$")


def parse_duration(text: str) -> timedelta:
    """'90', '90s', '10m', '2h', '1h30m' as a duration."""
    match = _DURATION.match(text.strip().lower())
    if not text.strip() or match is None or not any(match.groups()):
        raise BadInput(code="intake.bad_duration", duration=repr(text))
    hours, minutes, seconds = (int(part or 0) for part in match.groups())
    return timedelta(hours=hours, minutes=minutes, seconds=seconds)


def queue_service(ctx: typer.Context) -> QueueService:
    """The live queue, for a person of the desk (any role)."""
    context = cli_context(ctx)
    context.require(Role.OPERATOR, N_("action.queue"))
    return QueueService(context.engine, DeskConfig.of_desk(context.engine, context.settings))


def _lines(path: Path | None) -> Iterator[str]:
    """The lines of ``path`` or of standard input, as UTF-8 (a BOM is skipped)."""
    if path is None:
        for number, raw in enumerate(sys.stdin.buffer, start=1):
            try:
                yield raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError:
                raise BadInput(code="intake.stdin_not_utf_text", line=number) from None
        return
    try:
        with path.open(encoding="utf-8-sig") as handle:
            yield from handle
    except FileNotFoundError:
        raise BadInput(code="intake.no_file", path=str(path)) from None
    except UnicodeDecodeError:
        raise BadInput(code="intake.not_utf_text", path=str(path)) from None


def intake(
    ctx: typer.Context,
    file: Annotated[
        Path | None, typer.Argument(help="JSON lines file; standard input when omitted")
    ] = None,
) -> None:
    """Queue contact requests and chat events, one JSON object a line (see docs/integration.md)."""
    queue = queue_service(ctx)
    context = cli_context(ctx)
    texts = context.texts
    if file is not None and not file.is_file():
        raise BadInput(code="intake.no_file", path=str(file))
    total = sum(1 for _ in _lines(file)) if file is not None else 0
    with progress_bar(min_total=PROGRESS_FROM_LINES) as progress:
        report = run_intake(
            queue,
            _lines(file),
            zone=context.settings.zone,
            on_line=(
                (lambda n: progress(texts("cli.queue.intake_progress"), n, total))
                if progress
                else None
            ),
        )
    for number, name in report.notices:
        err_console.print(
            texts("cli.queue.intake_masked", line=number, field=name), highlight=False
        )
    for number, reason in report.rejected:
        err_console.print(
            texts(
                "cli.queue.intake_rejected",
                line=number,
                reason=reason_in(reason, texts, wordings=COMMAND_LINE_REASONS),
            ),
            highlight=False,
            soft_wrap=True,
        )
    summary = texts(
        "cli.queue.intake_summary",
        queued=report.accepted,
        known=report.duplicates,
        events=report.events,
        rejected=len(report.rejected),
    )
    err_console.print(summary, highlight=False)
    if not report.ok:
        raise typer.Exit(2)


@app.command("show")
def show(
    ctx: typer.Context,
    output: Annotated[OutputFormat, typer.Option("--format", "-f")] = OutputFormat.TABLE,
) -> None:
    """What is waiting or being handled now, and who is on which channel."""
    context = cli_context(ctx)
    now = utcnow()
    overview = Desk(context.engine, context.settings).overview(context.actor, now=now)
    items, staffing = overview.items, overview.staffing
    zone = context.settings.zone
    if output is OutputFormat.JSON:
        print_json(
            {
                "staffing": {c.value: staffing.by_channel[c] for c in Channel},
                "open": {c.value: staffing.open_now[c] for c in Channel},
                "items": [
                    {
                        "id": i.id,
                        "channel": i.channel,
                        "status": i.status,
                        "received_at": i.received_at.isoformat(),
                        "due_at": i.due_at.isoformat() if i.due_at else None,
                    }
                    for i in items
                ],
            }
        )
        return
    codes = codebook(context.engine)
    language = context.settings.language
    texts = context.texts
    line = staffing_line(
        staffing,
        texts=texts,
        label=lambda code: codes.label("channel", code, language),
        zone=zone,
        now=now,
    )
    console.print(line, highlight=False)
    table = Table(
        texts("cli.queue.id"),
        texts("cli.queue.channel"),
        texts("cli.queue.status"),
        texts("cli.queue.waiting"),
        texts("cli.queue.due"),
        texts("cli.queue.number"),
        box=None,
    )
    for item in items:
        waited = int((now - item.received_at).total_seconds() // 60)
        due = item.due_at.astimezone(zone).strftime("%d.%m. %H:%M") if item.due_at else ""
        number = format_for_dialling(item.callback_number) if item.callback_number else ""
        waiting = texts("cli.queue.minutes", minutes=waited)
        table.add_row(str(item.id), item.channel, item.status, waiting, due, number)
    console.print(table)


def simulate(
    ctx: typer.Context,
    speed: Annotated[
        float, typer.Option(min=0.1, max=10_000, help="times the realistic arrival rate")
    ] = 1.0,
    seed: Annotated[int | None, typer.Option(help="for a repeatable run")] = None,
    duration: Annotated[
        str | None, typer.Option(help="how long to run, e.g. 10m; default: until Ctrl-C")
    ] = None,
    per_day: Annotated[
        float, typer.Option(min=1, help="contacts on an ordinary business day at speed 1")
    ] = 120.0,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="only the summary")] = False,
) -> None:
    """Feed live simulated traffic: calls, chats (that type and sometimes leave), messages."""
    context = cli_context(ctx)
    config = SimulatorConfig(
        speed=speed, seed=seed, duration=parse_duration(duration) if duration else None
    )
    queue = queue_service(ctx)
    model = TrafficModel(per_day=per_day, calendar=queue.calendar)
    zone = context.settings.zone

    def show(text: str) -> None:
        if not quiet:
            err_console.print(f"{utcnow().astimezone(zone):%H:%M:%S} {text}", highlight=False)

    simulator = Simulator(queue, model, config, on_event=show)
    stop = threading.Event()
    try:
        stats = simulator.run(stop)
    except KeyboardInterrupt:
        stop.set()
        stats = simulator.stats
    texts = context.texts
    channels = ", ".join(f"{k} {v}" for k, v in sorted(stats.by_channel.items())) or texts(
        "cli.queue.no_channels"
    )
    summary = texts(
        "cli.queue.simulated",
        queued=stats.queued,
        channels=channels,
        refused=stats.refused,
        chat_lines=stats.chat_lines,
        left=stats.left,
    )
    err_console.print(summary, highlight=False)
