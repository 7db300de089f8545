"""A separate process that works until it is killed (see test_crash_safety).

Usage: python crash_worker.py MODE URL [ARG]

* ``intake URL``: feed the intake lines of stdin to the queue (waits for more at its end);
* ``claim URL OPERATOR_ID``: take phone items for the operator, who is signed on; it
  prints ``ready`` when connected and starts at a line on stdin (all claimers at once);
* ``log URL``: log contacts, the n-th with the note ``crash n`` and :func:`reasons` of n.

Each prints one id a line (the item or contact) as soon as its transaction has
committed, so that the test knows work is under way and what is surely written.
Exits 3 if it runs out of work, 2 on bad usage.
"""

from __future__ import annotations

import sys
from datetime import datetime, timedelta
from itertools import count
from zoneinfo import ZoneInfo

from ohjaus_tui.db.engine import make_engine
from ohjaus_tui.domain.calendar import utcnow
from ohjaus_tui.domain.codes import Channel, Role
from ohjaus_tui.domain.contact import ContactRecord
from ohjaus_tui.domain.intake import ContactRequest
from ohjaus_tui.services.actor import Actor
from ohjaus_tui.services.contacts import log_contact
from ohjaus_tui.services.intake import run_intake
from ohjaus_tui.services.queue import IntakeOutcome, QueueService

HKI = ZoneInfo("Europe/Helsinki")
OUT_OF_WORK = 3
READY = "ready"
REASONS = (("health",), ("social", "appointment"), ("health", "contact_info", "digital_support"))


def reasons(n: int) -> tuple[str, ...]:
    """The reasons the worker gives its ``n``-th contact."""
    return REASONS[n % len(REASONS)]


def committed(value: object) -> None:
    sys.stdout.write(f"{value}\n")
    sys.stdout.flush()


class _ReportingQueue(QueueService):
    def intake(
        self,
        request: ContactRequest,
        *,
        now: datetime | None = None,
        received_from: str | None = None,
    ) -> IntakeOutcome:
        outcome = super().intake(request, now=now, received_from=received_from)
        committed(outcome.item_id)
        return outcome


def intake(url: str) -> int:
    queue = _ReportingQueue(make_engine(url, pool_size=1))
    report = run_intake(queue, sys.stdin, zone=HKI)
    sys.stderr.write(f"stdin closed; rejected: {report.rejected}\n")
    return OUT_OF_WORK


def claim(url: str, operator_id: int) -> int:
    queue = QueueService(make_engine(url, pool_size=1))
    queue.engine.connect().close()
    committed(READY)
    sys.stdin.readline()
    while (item := queue.take_next(operator_id, Channel.PHONE)) is not None:
        committed(item.id)
    return OUT_OF_WORK


def log(url: str) -> int:
    engine = make_engine(url, pool_size=1)
    actor = Actor("test", role=Role.ADMIN)
    started = utcnow() - timedelta(hours=1)
    for n in count():  # until killed
        record = ContactRecord(
            started_at=started,
            channel="phone" if n % 2 else "chat",
            caller_type="client",
            reasons=reasons(n),
            note=f"crash {n}",
        )
        committed(log_contact(engine, record, actor=actor))
    raise AssertionError("unreachable")


def main() -> int:
    match sys.argv[1:]:
        case ["intake", url]:
            return intake(url)
        case ["claim", url, operator_id]:
            return claim(url, int(operator_id))
        case ["log", url]:
            return log(url)
    sys.stderr.write(__doc__ or "")
    return 2


if __name__ == "__main__":
    sys.exit(main())
