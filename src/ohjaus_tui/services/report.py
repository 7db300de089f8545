"""Building the period report: the database counts, this fills the :class:`Report`.

Everything is read in one read transaction, so the figures agree with each
other even while the desk keeps logging. See docs/lead.md for the
definitions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime

from sqlalchemy import Engine
from sqlmodel import Session

from ohjaus_tui.db import reports as repo
from ohjaus_tui.db.audit import record
from ohjaus_tui.db.codelists import load_codebook
from ohjaus_tui.db.engine import write_session
from ohjaus_tui.domain.calendar import DeskCalendar, utcnow
from ohjaus_tui.domain.codebook import CodeBook
from ohjaus_tui.domain.codes import Channel, CodeList, Role
from ohjaus_tui.domain.contact import MANY_SERVICES_SIGNS, NO_REFERRAL
from ohjaus_tui.domain.period import Period
from ohjaus_tui.domain.report import (
    ALL,
    MEDIAN,
    P90,
    SIGNS_BREAKDOWN,
    Breakdown,
    ChannelLevel,
    Consultations,
    Count,
    Feedback,
    Flag,
    FollowUps,
    OpeningTimes,
    PeriodFigures,
    Ratio,
    RepeatContacts,
    RepeatRow,
    Report,
    ServiceCount,
    ServiceLevel,
    channel_days,
    compare,
    nearest_rank,
    share,
    weekday_hour,
)
from ohjaus_tui.services.actor import Actor
from ohjaus_tui.words import N_

REASON_GROUPS = ("health", "social")
"""The reason groups of the report besides ``other``: any reason outside these two."""
OTHER_GROUP = "other"

_LIST_OF: dict[str, str] = {
    "channel": CodeList.CHANNEL,
    "caller_type": CodeList.CALLER_TYPE,
    "referral": CodeList.REFERRAL,
    "referral_mode": CodeList.REFERRAL_MODE,
    "referral_segment": CodeList.SEGMENT,
    "segment": CodeList.SEGMENT,
    "level": CodeList.LEVEL,
    "language": CodeList.LANGUAGE,
}
"""The code list of each counted column of the log."""


def _codes(book: CodeBook, list_name: str) -> list[str]:
    """Every code of a list, those out of use too (old periods may use them)."""
    return [entry.code for entry in book.codes(list_name, active_only=False)]


def build_report(
    engine: Engine,
    period: Period,
    *,
    calendar: DeskCalendar,
    now: datetime | None = None,
    compare_previous: bool = True,
    over_time: bool = False,
    actor: Actor,
) -> Report:
    """The report of ``period`` (local days in the calendar's zone), in numbers and codes.

    ``over_time``: with the contacts by day and channel (``Report.channel_days``),
    for a report drawn over the period; a slower read of the log on a large desk.
    Needs the lead role; the run is in the audit trail before the report is built.
    """
    actor.require(Role.LEAD, N_("action.reports"))
    now = now or utcnow()
    with write_session(engine) as session:
        record(
            session=session,
            actor=actor.name,
            operator_id=actor.operator_id,
            action="report.run",
            detail={"from": period.start, "to": period.end, "compare": compare_previous},
        )
    if engine.dialect.name == "postgresql":  # one snapshot for all the queries
        engine = engine.execution_options(isolation_level="REPEATABLE READ")
    with Session(engine) as session, session.begin():
        book = load_codebook(session=session)
        return _Builder(session, book, calendar, now).report(
            period, compare_previous=compare_previous, over_time=over_time
        )


class _Builder:
    def __init__(
        self,
        session: Session,
        book: CodeBook,
        calendar: DeskCalendar,
        now: datetime,
    ) -> None:
        self.session = session
        self.book = book
        self.calendar = calendar
        self.now = now

    def report(self, period: Period, *, compare_previous: bool, over_time: bool) -> Report:
        session, book = self.session, self.book
        start, end = period.utc_bounds(self.calendar.tz)
        totals = repo.log_totals(
            session=session,
            start=start,
            end=end,
            codes={key: _codes(book, list_name) for key, list_name in _LIST_OF.items()},
            signs=MANY_SERVICES_SIGNS,
        )
        groups = {
            group: [
                e.code for e in book.codes(CodeList.REASON, active_only=False) if e.group == group
            ]
            for group in REASON_GROUPS
        }
        by_reason, by_group = repo.reason_totals(
            session=session, start=start, end=end, groups=groups, other=OTHER_GROUP
        )
        contacts = totals.contacts
        referred = _referred(totals.codes["referral"])
        breakdowns = [
            self._breakdown("channel", CodeList.CHANNEL, totals.codes["channel"], contacts),
            self._breakdown(
                "caller_type",
                CodeList.CALLER_TYPE,
                totals.codes["caller_type"],
                contacts,
                optional=True,
            ),
            self._breakdown("reason", CodeList.REASON, by_reason, contacts, multiple=True),
            Breakdown(
                "reason_group",
                contacts,
                tuple(
                    Count(group, by_group[group], share(by_group[group], contacts))
                    for group in (*REASON_GROUPS, OTHER_GROUP)
                ),
            ),
            self._breakdown(
                "referral", CodeList.REFERRAL, totals.codes["referral"], contacts, optional=True
            ),
            self._breakdown(
                "referral_mode",
                CodeList.REFERRAL_MODE,
                totals.codes["referral_mode"],
                referred,
                optional=True,
            ),
            self._breakdown(
                "referral_segment",
                CodeList.SEGMENT,
                totals.codes["referral_segment"],
                totals.referral_segment_base,
            ),
            self._breakdown(
                "segment", CodeList.SEGMENT, totals.codes["segment"], contacts, optional=True
            ),
            self._breakdown(
                "level", CodeList.LEVEL, totals.codes["level"], contacts, optional=True
            ),
            self._breakdown(
                "identification",
                CodeList.IDENTIFICATION,
                {"identified": totals.identified, "anonymous": contacts - totals.identified},
                contacts,
            ),
            self._breakdown("language", CodeList.LANGUAGE, totals.codes["language"], contacts),
            Breakdown(
                SIGNS_BREAKDOWN,
                contacts,
                tuple(
                    Count(sign, totals.signs[sign], share(totals.signs[sign], contacts))
                    for sign in MANY_SERVICES_SIGNS
                ),
            ),
        ]
        flags = (
            Flag("on_behalf", totals.on_behalf, share(totals.on_behalf, contacts), base=contacts),
            Flag(
                "resolved_first_contact",
                totals.resolved_first_contact,
                share(totals.resolved_first_contact, contacts),
                contacts - totals.resolved_recorded,
                optional=True,
                base=contacts,
            ),
            Flag(
                "many_services",
                totals.many_services,
                share(totals.many_services, contacts),
                base=contacts,
            ),
            Flag(
                "multi_professional",
                totals.multi_professional,
                share(totals.multi_professional, contacts),
                base=contacts,
            ),
        )
        consulted = repo.consultation_totals(session=session, start=start, end=end)
        followed = repo.follow_up_rows(session=session, start=start, end=end)
        feedback = _feedback(totals)
        services = tuple(
            ServiceCount(code, name, count)
            for code, name, count in repo.referral_services(session=session, start=start, end=end)
        )
        tz = self.calendar.tz
        days = None
        if over_time:
            by_channel = repo.hour_channel_counts(session=session, start=start, end=end)
            grid = weekday_hour(((hour, count) for hour, _, count in by_channel), tz)
            days = channel_days(by_channel, tz)
        else:
            grid = weekday_hour(repo.hour_counts(session=session, start=start, end=end), tz)
        service_level, queue = self._service_level(start, end)
        report = Report(
            period=period,
            time_zone=self.calendar.tz.key,
            generated_at=self.now,
            contacts=contacts,
            breakdowns=tuple(breakdowns),
            flags=flags,
            referral_services=services,
            feedback=feedback,
            service_level=service_level,
            weekday_hour=grid,
            channel_days=days,
            consultations=Consultations.of(
                consulted.asked, consulted.joined, consulted.answer_seconds
            ),
            repeat_contacts=self._repeat_contacts(start, end),
            follow_ups=FollowUps.of(followed, self.now),
        )
        if not compare_previous:
            return report
        current = PeriodFigures.of(
            feedback,
            contacts=contacts,
            by_channel=totals.codes["channel"],
            referred=referred,
            resolved_first_contact=totals.resolved_first_contact,
            offered={channel: level.offered for channel, level in queue.items()},
            answered={channel: level.answered for channel, level in queue.items()},
            callbacks_first_attempt=service_level.callbacks_first_attempt,
            callbacks_by_due=service_level.callbacks_by_due,
            messages_in_time=service_level.messages_in_time,
        )
        previous = period.previous()
        comparison = compare(current, self._figures(previous), previous)
        return replace(report, comparison=comparison)

    # --- parts --------------------------------------------------------------------------

    def _breakdown(
        self,
        key: str,
        list_name: str,
        counts: Mapping[str, int],
        base: int,
        *,
        multiple: bool = False,
        optional: bool = False,
    ) -> Breakdown:
        """Every active code, and any code out of use that the period still has.

        ``optional``: the field may be left unrecorded (see :class:`Breakdown`).
        """
        items = [
            Count(entry.code, counts.get(entry.code, 0), share(counts.get(entry.code, 0), base))
            for entry in self.book.codes(list_name, active_only=False)
            if entry.active or counts.get(entry.code, 0)
        ]
        known = {item.code for item in items}
        items += [
            Count(code, count, share(count, base))
            for code, count in sorted(counts.items())
            if code not in known and count
        ]
        recorded = sum(item.count for item in items)
        not_recorded = 0 if multiple else max(0, base - recorded)
        return Breakdown(
            key, base, tuple(items), not_recorded, optional=optional, code_list=list_name
        )

    def _repeat_contacts(self, start: datetime, end: datetime) -> RepeatContacts:
        """Repeats and first-contact resolution by channel and reason, in code-list order
        (codes out of use only where the period has them)."""
        by_channel, by_reason = repo.repeat_totals(session=self.session, start=start, end=end)

        def rows(list_name: str, counts: Mapping[str, repo.RepeatCounts]) -> tuple[RepeatRow, ...]:
            codes = [
                entry.code
                for entry in self.book.codes(list_name, active_only=False)
                if entry.active or entry.code in counts
            ]
            codes += sorted(code for code in counts if code not in codes)
            return tuple(_repeat_row(code, counts.get(code)) for code in codes)

        every = repo.RepeatCounts(
            *(sum(getattr(counts, name) for counts in by_channel.values()) for name in _COUNTED)
        )
        return RepeatContacts(
            total=_repeat_row(ALL, every),
            channels=rows(CodeList.CHANNEL, by_channel),
            reasons=rows(CodeList.REASON, by_reason),
        )

    def _queue(
        self, start: datetime, end: datetime
    ) -> tuple[dict[str, repo.QueueTotals], repo.CallbackTotals, Ratio, Ratio, Ratio]:
        queue = repo.queue_totals(session=self.session, start=start, end=end, now=self.now)
        callbacks = repo.callback_totals(session=self.session, start=start, end=end, now=self.now)
        phone = queue.get(Channel.PHONE.value)
        message = queue.get(Channel.MESSAGE.value)
        first_attempt = Ratio(callbacks.reached_first, callbacks.attempted)
        by_due = Ratio(
            callbacks.first_by_due,
            (phone.past_due if phone else 0) + callbacks.attempted_not_due,
        )
        in_time = Ratio(message.answered_by_due, message.due) if message else Ratio(0, 0)
        return queue, callbacks, first_attempt, by_due, in_time

    def _service_level(
        self, start: datetime, end: datetime
    ) -> tuple[ServiceLevel, dict[str, repo.QueueTotals]]:
        queue, _, first_attempt, by_due, in_time = self._queue(start, end)
        waits = self._waits(start, end)
        levels = []
        for entry in self.book.codes(CodeList.CHANNEL):
            totals = queue.get(entry.code)
            ordered = waits.get(entry.code, [])
            levels.append(
                ChannelLevel(
                    channel=entry.code,
                    offered=totals.offered if totals else 0,
                    answered=totals.answered if totals else 0,
                    abandoned=totals.abandoned if totals else 0,
                    median_wait=nearest_rank(ordered, MEDIAN),
                    p90_wait=nearest_rank(ordered, P90),
                )
            )
        return ServiceLevel(tuple(levels), first_attempt, by_due, in_time), queue

    def _waits(self, start: datetime, end: datetime) -> dict[str, list[float]]:
        """Seconds from arrival to the first answer per channel, sorted.

        A callback requested while the phone line is closed waits from the
        next opening: the earlier of the item's ``available_at`` (stamped at
        intake, moved later by retries) and the opening by the current hours
        (which may have changed since), never before arrival. Only an item
        made available after it arrived can start later than arrival, so the
        database hands back those alone with their times.
        """
        answered = repo.answered_waits(
            session=self.session, start=start, end=end, held_channel=Channel.PHONE.value
        )
        waits = {channel: list(values) for channel, values in answered.seconds.items()}
        if answered.held:
            wait_start = OpeningTimes(self.calendar, Channel.PHONE, start, end).wait_start
            phone = waits.setdefault(Channel.PHONE.value, [])
            for received, available, first_answer in answered.held:
                begins = max(received, min(available, wait_start(received)))
                seconds = (first_answer - begins).total_seconds()
                phone.append(seconds if seconds > 0 else 0.0)
        for values in waits.values():
            values.sort()
        return waits

    def _figures(self, period: Period) -> PeriodFigures:
        """The compared figures of another period (fewer queries than a whole report)."""
        start, end = period.utc_bounds(self.calendar.tz)
        totals = repo.log_totals(
            session=self.session,
            start=start,
            end=end,
            codes={
                key: _codes(self.book, list_name)
                for key, list_name in _LIST_OF.items()
                if key in ("channel", "referral")
            },
        )
        queue, _, first_attempt, by_due, in_time = self._queue(start, end)
        return PeriodFigures.of(
            _feedback(totals),
            contacts=totals.contacts,
            by_channel=totals.codes["channel"],
            referred=_referred(totals.codes["referral"]),
            resolved_first_contact=totals.resolved_first_contact,
            offered={channel: level.offered for channel, level in queue.items()},
            answered={channel: level.answered for channel, level in queue.items()},
            callbacks_first_attempt=first_attempt,
            callbacks_by_due=by_due,
            messages_in_time=in_time,
        )


_COUNTED = ("contacts", "resolved_first_contact", "recognisable", "repeats")


def _repeat_row(code: str, counts: repo.RepeatCounts | None) -> RepeatRow:
    if counts is None:
        return RepeatRow(code, 0, 0, 0, 0)
    return RepeatRow(code, *(getattr(counts, name) for name in _COUNTED))


def _referred(referrals: Mapping[str, int]) -> int:
    """Contacts referred on: any referral but "none" (a referral not recorded is neither)."""
    return sum(count for code, count in referrals.items() if code != NO_REFERRAL)


def _feedback(totals: repo.LogTotals) -> Feedback:
    return Feedback(
        responses=totals.feedback_responses,
        mean_score=(
            totals.feedback_points / totals.feedback_responses
            if totals.feedback_responses
            else None
        ),
        helped_responses=totals.helped_responses,
        helped=totals.helped,
    )
