"""The desk's canned answers: kept by an admin (``ohjaus answers``), read by every
desk role, inserted into a reply at the workstation with their placeholders filled.

Every change is audited with the text it leaves (or removes), so that what the
desk has told residents can be traced to who wrote it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlmodel import Session

from ohjaus_tui.db import answers as repo
from ohjaus_tui.db.audit import record
from ohjaus_tui.db.engine import write_session
from ohjaus_tui.db.models import Answer
from ohjaus_tui.domain.answers import (
    LANGUAGES,
    PLACEHOLDERS,
    TEXT_LENGTH,
    CannedAnswer,
    fill,
    normal_key,
    one_line,
    opening_after,
    unknown_placeholders,
)
from ohjaus_tui.domain.calendar import DeskCalendar, utcnow
from ohjaus_tui.domain.codes import Channel, Role
from ohjaus_tui.errors import BadInput, refuse_identity_code
from ohjaus_tui.services.actor import Actor
from ohjaus_tui.words import N_, Texts

ACTION = N_("answers.action")
"""What an admin's role is needed for, in the words of a refusal."""
ACTION_READ = N_("answers.action_read")
"""What a desk role is needed for."""


@dataclass(frozen=True)
class Stored:
    """What ``answers add`` did: the answer as stored, and whether it replaced one."""

    answer: CannedAnswer
    replaced: bool


def language_of(raw: str) -> str:
    """``fi``, ``sv`` or ``en``; BadInput naming them otherwise."""
    language = raw.strip().lower()
    if language not in LANGUAGES:
        raise BadInput(code="answers.unknown_language", value=raw, known=", ".join(LANGUAGES))
    return language


def key_of(raw: str) -> str:
    key = normal_key(raw)
    if key is None:
        raise BadInput(code="answers.bad_key", value=raw)
    return key


def checked_text(raw: str) -> str:
    """The text as stored: one line (a reply is one), not empty, no identity code, no
    placeholder that the desk cannot fill, not longer than :data:`TEXT_LENGTH`."""
    text = one_line(raw)
    if not text:
        raise BadInput(code="answers.empty_text")
    refuse_identity_code(text, code="answers.text_hetu")
    if len(text) > TEXT_LENGTH:
        raise BadInput(code="answers.text_too_long", length=len(text), most=TEXT_LENGTH)
    unknown = unknown_placeholders(text)
    if unknown:
        raise BadInput(
            code="answers.unknown_placeholder",
            names=", ".join(f"{{{name}}}" for name in unknown),
            known=", ".join(f"{{{name}}}" for name in PLACEHOLDERS),
        )
    return text


def add_answer(engine: Engine, key: str, language: str, text: str, *, actor: Actor) -> Stored:
    """Store the answer ``key`` in ``language`` (admin); one there already is replaced."""
    actor.require(Role.ADMIN, ACTION)
    key, language, text = key_of(key), language_of(language), checked_text(text)
    now = utcnow()
    with write_session(engine) as session:
        row = repo.find(session=session, key=key, language=language)
        replaced = row is not None
        if row is None:
            row = Answer(
                key=key,
                language=language,
                text=text,
                created_at=now,
                created_by_id=actor.operator_id,
                updated_at=now,
                updated_by_id=actor.operator_id,
            )
        else:
            row.text, row.updated_at, row.updated_by_id = text, now, actor.operator_id
        session.add(row)
        record(
            session=session,
            actor=actor.name,
            operator_id=actor.operator_id,
            action="answers.update" if replaced else "answers.add",
            entity="answer",
            entity_id=f"{language}/{key}",
            detail={"text": text},
        )
        return Stored(answer=_value(row), replaced=replaced)


def remove_answer(engine: Engine, key: str, language: str, *, actor: Actor) -> CannedAnswer:
    """Remove the answer ``key`` in ``language`` (admin); BadInput when there is none."""
    actor.require(Role.ADMIN, ACTION)
    key, language = key_of(key), language_of(language)
    with write_session(engine) as session:
        row = repo.find(session=session, key=key, language=language)
        if row is None:
            raise BadInput(code="answers.not_found", key=key, language=language)
        removed = _value(row)
        session.delete(row)
        record(
            session=session,
            actor=actor.name,
            operator_id=actor.operator_id,
            action="answers.remove",
            entity="answer",
            entity_id=f"{language}/{key}",
            detail={"text": removed.text},
        )
    return removed


def list_answers(
    engine: Engine, *, actor: Actor, language: str | None = None
) -> list[CannedAnswer]:
    """The answers (in ``language``, or all) for a person of the desk, by key."""
    actor.require(Role.OPERATOR, ACTION_READ)
    chosen = None if language is None else language_of(language)
    return load_answers(engine, language=chosen)


def load_answers(engine: Engine, *, language: str | None = None) -> list[CannedAnswer]:
    """Every answer (in ``language``, or all), by key and language: what a signed-in
    workstation searches."""
    with Session(engine) as session:
        return [_value(row) for row in repo.answers(session=session, language=language)]


def filled(
    answer: CannedAnswer,
    *,
    calendar: DeskCalendar,
    channel: Channel,
    operator: str,
    now: datetime,
) -> str:
    """The answer's text with its placeholders filled, in the answer's language."""
    from babel.dates import format_skeleton

    texts = Texts(answer.language)
    zone: ZoneInfo = calendar.tz
    return fill(
        answer.text,
        {
            "next_opening": opening_words(opening_after(calendar, channel, now), now, zone, texts),
            "operator": operator,
            "today": format_skeleton("yMd", now.astimezone(zone).date(), locale=texts.locale),
        },
    )


def opening_words(at: datetime, now: datetime, zone: ZoneInfo, texts: Texts) -> str:
    """When the desk opens, as a resident reads it: ``tänään klo 09:00``, ``huomenna klo
    09:00``, ``ma 7.12. klo 09:00`` (a clock time reads ``09:00`` in every language)."""
    from babel.dates import format_skeleton

    local, today = at.astimezone(zone), now.astimezone(zone).date()
    time = f"{local:%H:%M}"
    if local.date() == today:
        return texts("answers.opens_today", time=time)
    if local.date() == today + timedelta(days=1):
        return texts("answers.opens_tomorrow", time=time)
    return texts(
        "answers.opens_on", day=format_skeleton("MEd", local.date(), locale=texts.locale), time=time
    )


def _value(row: Answer) -> CannedAnswer:
    return CannedAnswer(
        key=row.key, language=row.language, text=row.text, updated_at=row.updated_at
    )
