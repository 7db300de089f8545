"""Taking an operator back to their own unfinished work.

After a sign-in (a restart, a crash, a lost session) and on the queue's
"continue" key, the newest unsaved contact form comes back first, then the
oldest item the operator is still handling. Nothing of it waits behind the
queue unseen: the queue screen lists what is open (see ``MainScreen``).
"""

from __future__ import annotations

from collections.abc import Awaitable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from ohjaus_tui.db.models import QueueItem
from ohjaus_tui.services.drafts import load_drafts
from ohjaus_tui.tui.screens.contact_form import ContactFormScreen
from ohjaus_tui.tui.screens.handle import handling_screen
from ohjaus_tui.tui.screens.handling import HandlingScreen

if TYPE_CHECKING:
    from ohjaus_tui.tui.app import OhjausApp


@dataclass(frozen=True)
class OwnWork:
    """An operator's unfinished work: unsaved forms and items they are handling."""

    drafts: int
    held: tuple[QueueItem, ...]

    @property
    def empty(self) -> bool:
        return not self.drafts and not self.held


def own_work(app: OhjausApp, operator_id: int) -> OwnWork:
    """Read in a worker thread: the drafts whose item still exists, and the held items."""
    drafts = sum(
        1
        for draft in load_drafts(app.engine, operator_id)
        if draft.item_id is not None and app.queue.item(draft.item_id) is not None
    )
    return OwnWork(drafts=drafts, held=tuple(app.queue.held_by(operator_id)))


def resume_own_work(
    app: OhjausApp, *, after: Awaitable[object] | None = None, say_none: bool = False
) -> None:
    """Open the newest unsaved form, else the oldest held item, if there is one.

    ``after``: wait for it first (at sign-in: the main screen shown, so that
    the work opens over the queue and the sign-in screen is gone).
    ``say_none``: tell the operator when nothing is open (they asked for it).
    """
    operator = app.operator
    if operator is None or operator.id is None:
        return
    find = partial(_find_work, app, operator.id, say_none)

    def look() -> None:
        app.run_worker(
            find, name="resume", group="resume", thread=True, exclusive=True, exit_on_error=False
        )

    if after is None:
        look()
        return

    async def look_after() -> None:
        await after
        look()

    app.run_worker(look_after(), name="resume_after", group="resume_after", exit_on_error=False)


def _find_work(app: OhjausApp, operator_id: int, say_none: bool) -> None:
    for draft in load_drafts(app.engine, operator_id):
        item = app.queue.item(draft.item_id) if draft.item_id is not None else None
        if item is not None:
            app.call_from_thread(_reopen_form, app, item, draft.data)
            return
    held = app.queue.held_by(operator_id)
    if held:
        app.call_from_thread(_reopen_item, app, held[0])
    elif say_none:
        app.call_from_thread(app.notify, app.texts("own.none"))


def _busy(app: OhjausApp) -> bool:
    """One piece of work at a time: never open over a form or a handling view."""
    return any(
        isinstance(screen, ContactFormScreen | HandlingScreen) for screen in app.screen_stack
    )


def _reopen_form(app: OhjausApp, item: QueueItem, data: dict[str, Any]) -> None:
    if _busy(app):
        return
    restored = app.texts("draft.restored")
    app.push_screen(ContactFormScreen(item, draft=data, from_drafts=True, notice=restored))


def _reopen_item(app: OhjausApp, item: QueueItem) -> None:
    if _busy(app):
        return
    screen = handling_screen(item)
    channel = app.label("channel", item.channel)
    screen.opening_notice = app.texts("resume.item", channel=channel, id=item.id)
    app.push_screen(screen)
