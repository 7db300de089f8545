"""Reading intake lines (JSON lines) into the queue, line by line.

Each good line is kept even when others are rejected; a rejected line is
reported as ``line N: reason``: a :class:`~ohjaus_tui.domain.reasons.Reason`, which a
front end words by its code (its text is the English).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from ohjaus_tui.domain.calendar import utcnow
from ohjaus_tui.domain.intake import ContactRequest, IntakeError, parse_line
from ohjaus_tui.domain.reasons import Reason
from ohjaus_tui.errors import OhjausError, StorageFault
from ohjaus_tui.services.queue import QueueService


@dataclass
class IntakeReport:
    accepted: int = 0
    duplicates: int = 0
    events: int = 0
    rejected: list[tuple[int, Reason]] = field(default_factory=list)
    """A line's number and why it was rejected: the domain's reason, or a service's error
    by its code (a code of ``ohjaus_tui.words.errors.ERROR_MESSAGES``)."""
    notices: list[tuple[int, str]] = field(default_factory=list)
    """A line's number and the field whose identity code was masked before storing."""

    @property
    def ok(self) -> bool:
        return not self.rejected


def run_intake(
    queue: QueueService,
    lines: Iterable[str],
    *,
    zone: ZoneInfo,
    clock: Callable[[], datetime] = utcnow,
    on_line: Callable[[int], None] | None = None,
) -> IntakeReport:
    """Feed intake lines to the queue; blank lines are skipped."""
    report = IntakeReport()
    for number, raw in enumerate(lines, start=1):
        if on_line is not None:
            on_line(number)
        if not raw.strip():
            continue
        try:
            parsed = parse_line(raw, now=clock(), zone=zone)
            if isinstance(parsed.event, ContactRequest):
                outcome = queue.intake(parsed.event)
                if outcome.created:
                    report.accepted += 1
                else:
                    report.duplicates += 1
            else:
                queue.chat_event(parsed.event)
                report.events += 1
        except StorageFault as fault:  # the lines after it would fail too: stop here
            queued = report.accepted + report.duplicates + report.events
            stored = f"nothing of line {number} was stored ({queued} lines before it were)"
            raise StorageFault(
                fault.kind, fault.what, stored=stored, stopped_at_line=number, stored_lines=queued
            ) from None
        except IntakeError as exc:
            report.rejected.append((number, exc.reason))
            continue
        except OhjausError as exc:
            report.rejected.append((number, Reason(exc.code or "", str(exc), exc.params)))
            continue
        report.notices += [(number, name) for name in parsed.masked]
    return report
