"""Who is on which channel: sign-on, sign-off, heartbeat, staffing.

The sign-on half of :class:`~ohjaus_tui.services.queue.QueueService`, which
it is a base of: one person is never on phone and chat at once unless a lead
allows it with a reason, and a workstation's heartbeat keeps its sign-on
fresh (a stale one no longer counts as staffing, and its claims lapse).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlmodel import Session

from ohjaus_tui.db import operators as people
from ohjaus_tui.db import queue as repo
from ohjaus_tui.db.audit import record
from ohjaus_tui.db.engine import write_session
from ohjaus_tui.db.models import ChannelSignOn, Operator
from ohjaus_tui.domain.calendar import DeskCalendar, utcnow
from ohjaus_tui.domain.codes import Channel, Role
from ohjaus_tui.errors import OhjausError, refuse_identity_code

if TYPE_CHECKING:
    from ohjaus_tui.services.queue import QueueConfig


class QueueError(OhjausError):
    """A queue action that cannot be done in the item's or operator's state."""


class SignOnConflict(QueueError):
    """One person cannot answer phone and chat at the same time."""


@dataclass(frozen=True)
class Staffing:
    by_channel: dict[Channel, list[str]]
    open_now: dict[Channel, bool]
    next_opening: dict[Channel, datetime]

    @property
    def unstaffed_open(self) -> list[Channel]:
        return [c for c in Channel if self.open_now[c] and not self.by_channel[c]]


class ChannelStaffing:
    """Sign-on use cases; the queue service provides ``engine`` and ``config``."""

    engine: Engine
    config: QueueConfig

    @property
    def calendar(self) -> DeskCalendar:
        return self.config.calendar

    def sign_on(
        self,
        operator_id: int,
        channel: Channel,
        *,
        override_reason: str | None = None,
        lead_id: int | None = None,
        now: datetime | None = None,
    ) -> ChannelSignOn:
        """Put an operator on a channel; phone and chat at once only by a lead's override."""
        now = now or utcnow()
        refuse_identity_code(override_reason, field="the reason")
        with write_session(self.engine) as session:
            operator = self._operator(session, operator_id)
            current = repo.open_sign_ons(
                session=session, fresh_since=self._fresh_since(now), operator_id=operator_id
            )
            for sign_on, _ in current:
                if sign_on.channel == channel.value:
                    sign_on.last_seen_at = now
                    session.add(sign_on)
                    return sign_on
            conflicts = [
                s.channel
                for s, _ in current
                if channel.is_real_time and Channel(s.channel).is_real_time
            ]
            lead: Operator | None = None
            if conflicts:
                if not override_reason or not override_reason.strip() or lead_id is None:
                    raise SignOnConflict(
                        f"{operator.name} is already on {conflicts[0]}: one person cannot answer "
                        f"phone and chat at the same time (a lead may override with a reason)",
                        code="signon.both",
                        name=operator.name,
                        channel=conflicts[0],
                    )
                lead = self._operator(session, lead_id)
                if lead.role not in (Role.LEAD.value, Role.ADMIN.value):
                    raise SignOnConflict(
                        f"{lead.name} is not a lead and cannot override",
                        code="override.not_lead",
                        name=lead.name,
                    )
            sign_on = ChannelSignOn(
                operator_id=operator_id,
                channel=channel.value,
                signed_on_at=now,
                last_seen_at=now,
                override_reason=override_reason.strip() if lead and override_reason else None,
                overridden_by_id=lead.id if lead else None,
            )
            session.add(sign_on)
            session.flush()
            record(
                session=session,
                actor=(lead or operator).name,
                operator_id=(lead or operator).id,
                action="channel.override" if lead else "channel.sign_on",
                entity="operator",
                entity_id=operator_id,
                detail={"channel": channel.value, "reason": sign_on.override_reason},
            )
            return sign_on

    def sign_off(
        self, operator_id: int, channel: Channel | None = None, *, now: datetime | None = None
    ) -> int:
        """End an operator's sign-ons (on one channel or all); returns how many ended."""
        now = now or utcnow()
        with write_session(self.engine) as session:
            ended = 0
            for sign_on, _ in repo.open_sign_ons(session=session, operator_id=operator_id):
                if channel is None or sign_on.channel == channel.value:
                    sign_on.signed_off_at = now
                    session.add(sign_on)
                    ended += 1
            return ended

    def heartbeat(self, operator_id: int, *, now: datetime | None = None) -> None:
        """A workstation says it is still there (keeps its sign-ons fresh)."""
        now = now or utcnow()
        with write_session(self.engine) as session:
            for sign_on, _ in repo.open_sign_ons(session=session, operator_id=operator_id):
                sign_on.last_seen_at = now
                session.add(sign_on)

    def staffing(self, *, now: datetime | None = None) -> Staffing:
        """Who is on which channel now; which channel is open without anyone on it."""
        now = now or utcnow()
        with Session(self.engine) as session:
            rows = repo.open_sign_ons(session=session, fresh_since=self._fresh_since(now))
            by_channel: dict[Channel, list[str]] = {c: [] for c in Channel}
            for sign_on, operator in rows:
                names = by_channel[Channel(sign_on.channel)]
                if operator.name not in names:
                    names.append(operator.name)
        return Staffing(
            by_channel=by_channel,
            open_now={c: self.calendar.is_open(c, now) for c in Channel},
            next_opening={c: self.calendar.next_opening(c, now) for c in Channel},
        )

    def _fresh_since(self, now: datetime) -> datetime:
        return now - self.config.sign_on_stale_after

    def _operator(self, session: Session, operator_id: int) -> Operator:
        operator = people.get_operator(session=session, operator_id=operator_id)
        if operator is None or not operator.active:
            raise QueueError(
                f"no active operator with id {operator_id}",
                code="operator.inactive",
                operator_id=operator_id,
            )
        return operator
