"""Who is on which channel: sign-on, sign-off, heartbeat, staffing.

One person is never on phone and chat at once unless a lead allows it with
a reason, and a workstation's heartbeat keeps its sign-on fresh: a stale one
no longer counts as staffing (here, on the lead board and in ``queue show``
alike, since all read :meth:`StaffingService.staffing`), and its claims lapse.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine
from sqlmodel import Session

from ohjaus_tui.db import operators as people
from ohjaus_tui.db import queue as repo
from ohjaus_tui.db.audit import record
from ohjaus_tui.db.engine import write_session
from ohjaus_tui.db.models import ChannelSignOn, Operator
from ohjaus_tui.domain.calendar import DeskCalendar, utcnow
from ohjaus_tui.domain.codes import Channel, Role
from ohjaus_tui.errors import QueueError, refuse_identity_code
from ohjaus_tui.services.desk_config import DeskConfig


class SignOnConflict(QueueError):
    """One person cannot answer phone and chat at the same time."""


@dataclass(frozen=True)
class OnDuty:
    name: str
    since: datetime
    override_reason: str | None = None
    """Set when a lead let this person on phone and chat at once."""
    overridden_by: str | None = None
    operator_id: int | None = None
    profession: str | None = None
    """A code of the ``profession`` list, None when not said."""


@dataclass(frozen=True)
class ChannelStaff:
    channel: Channel
    people: tuple[OnDuty, ...]
    open_now: bool
    next_opening: datetime

    @property
    def unstaffed(self) -> bool:
        """Open, and nobody on it."""
        return self.open_now and not self.people


@dataclass(frozen=True)
class Staffing:
    """Who is on each channel now (fresh sign-ons only), and whether it is open."""

    channels: tuple[ChannelStaff, ...]

    def of(self, channel: Channel) -> ChannelStaff:
        return next(staff for staff in self.channels if staff.channel is channel)

    @property
    def by_channel(self) -> dict[Channel, list[str]]:
        return {staff.channel: [p.name for p in staff.people] for staff in self.channels}

    @property
    def open_now(self) -> dict[Channel, bool]:
        return {staff.channel: staff.open_now for staff in self.channels}

    @property
    def next_opening(self) -> dict[Channel, datetime]:
        return {staff.channel: staff.next_opening for staff in self.channels}

    @property
    def unstaffed_open(self) -> list[Channel]:
        return [staff.channel for staff in self.channels if staff.unstaffed]


def read_staffing(
    session: Session, *, now: datetime, config: DeskConfig, names: dict[int, str] | None = None
) -> Staffing:
    """Who is on which channel as of ``now``: the one reading of it.

    ``names``: operator names by id, when the caller has read them (who overrode)."""
    rows = repo.open_sign_ons(session=session, fresh_since=now - config.sign_on_stale_after)
    if names is None:
        ids = {s.overridden_by_id for s, _ in rows if s.overridden_by_id is not None}
        names = {o.id: o.name for o in people.list_operators(session=session) if o.id in ids}
    on: dict[Channel, dict[str, OnDuty]] = {c: {} for c in Channel}
    for sign_on, operator in rows:
        try:
            on_channel = on[Channel(sign_on.channel)]
        except ValueError:
            continue
        earlier = on_channel.get(operator.name)
        if earlier is None or (sign_on.override_reason and not earlier.override_reason):
            on_channel[operator.name] = OnDuty(
                name=operator.name,
                since=sign_on.signed_on_at,
                override_reason=sign_on.override_reason,
                overridden_by=names.get(sign_on.overridden_by_id)
                if sign_on.overridden_by_id is not None
                else None,
                operator_id=operator.id,
                profession=operator.profession,
            )
    calendar = config.calendar
    return Staffing(
        tuple(
            ChannelStaff(
                channel=c,
                people=tuple(on[c].values()),
                open_now=calendar.is_open(c, now),
                next_opening=calendar.next_opening(c, now),
            )
            for c in Channel
        )
    )


class StaffingService:
    """Sign-on use cases of one desk."""

    def __init__(self, engine: Engine, config: DeskConfig | None = None) -> None:
        self.engine = engine
        self.config = config or DeskConfig()

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
        refuse_identity_code(override_reason, code="override.reason_hetu")
        with write_session(self.engine) as session:
            operator = active_operator(session, operator_id)
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
                lead = active_operator(session, lead_id)
                if not Role(lead.role).includes(Role.LEAD):
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
            return read_staffing(session, now=now, config=self.config)

    def _fresh_since(self, now: datetime) -> datetime:
        return now - self.config.sign_on_stale_after


def active_operator(session: Session, operator_id: int) -> Operator:
    """The operator with ``operator_id``; QueueError unless they are active."""
    operator = people.get_operator(session=session, operator_id=operator_id)
    if operator is None or not operator.active:
        raise QueueError(
            f"no active operator with id {operator_id}",
            code="operator.inactive",
            operator_id=operator_id,
        )
    return operator
