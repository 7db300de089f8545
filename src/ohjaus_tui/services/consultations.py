"""Consultation within the nurse-social counsellor pair.

An operator handling a contact asks a colleague of another profession a short
question: one signed-on colleague, or anyone of a profession. The request
carries the contact's codes (channel, language, on behalf) and the question,
never who the resident is, their number or the transcript; a question holding
a henkilötunnus is refused. The colleague answers in text, or joins: the item
is then shared with them read-only, its owner stays its owner. A contact on
which a consultation was answered or joined is logged as multi-professional.

Every step is one :func:`write_session` transaction, so the other
workstations see it in their live feed at once (``updated_at`` is stamped).
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import Session

from ohjaus_tui.db import consultations as repo
from ohjaus_tui.db import operators as people
from ohjaus_tui.db import queue as queue_repo
from ohjaus_tui.db.audit import record
from ohjaus_tui.db.codelists import load_codebook
from ohjaus_tui.db.engine import write_session
from ohjaus_tui.db.models import Consultation as ConsultationRow
from ohjaus_tui.domain.calendar import utcnow
from ohjaus_tui.domain.codes import CodeList, QueueStatus
from ohjaus_tui.errors import BadInput, NotAllowed, refuse_identity_code
from ohjaus_tui.services.desk_values import Consultation
from ohjaus_tui.services.staffing import active_operator

MAX_QUESTION = 500
"""Characters of a question or an answer: a consultation is quick."""
ANSWERED = "answered"
JOINED = "joined"
KEPT_IN_VIEW = timedelta(hours=12)
"""How far back a workstation's list of consultations reaches."""


def ask(
    engine: Engine,
    *,
    asker_id: int,
    item_id: int,
    question: str,
    colleague_id: int | None = None,
    profession: str | None = None,
    now: datetime | None = None,
) -> Consultation:
    """Ask a colleague (``colleague_id``) or anyone of ``profession`` about the item the
    asker is handling."""
    text = _text(question, code="consult.question_empty")
    refuse_identity_code(text, code="consult.question_hetu")
    if (colleague_id is None) == (profession is None):
        raise BadInput(code="consult.whom")
    now = now or utcnow()
    with write_session(engine) as session:
        asker = active_operator(session, asker_id)
        item = queue_repo.get_item(session=session, item_id=item_id)
        if (
            item is None
            or item.status != QueueStatus.CLAIMED.value
            or item.claimed_by_id != asker_id
        ):
            raise NotAllowed(code="consult.not_held", item_id=item_id)
        if colleague_id is not None:
            colleague = people.get_operator(session=session, operator_id=colleague_id)
            if colleague is None or not colleague.active or colleague.id == asker_id:
                raise BadInput(code="consult.no_colleague")
        elif profession is not None and not load_codebook(session=session).is_valid(
            CodeList.PROFESSION, profession
        ):
            raise BadInput(code="consult.profession_unknown", profession=profession)
        codes = {"channel": item.channel, "language": item.language, "on_behalf": item.on_behalf}
        row = ConsultationRow(
            item_id=item_id,
            asker_id=asker_id,
            colleague_id=colleague_id,
            profession=profession,
            codes=json.dumps(codes, sort_keys=True),
            question=text,
            asked_at=now,
            updated_at=utcnow(),
        )
        session.add(row)
        session.flush()
        _audit(session, asker.name, asker_id, "consult.ask", row)
        return _value(row, _names(session))


def answer(
    engine: Engine,
    *,
    consultation_id: int,
    operator_id: int,
    text: str,
    now: datetime | None = None,
) -> Consultation:
    """Answer a consultation in text (once: a second answer is refused)."""
    written = _text(text, code="consult.answer_empty")
    refuse_identity_code(written, code="consult.answer_hetu")
    return _settle(engine, consultation_id, operator_id, ANSWERED, written, now or utcnow())


def join(
    engine: Engine, *, consultation_id: int, operator_id: int, now: datetime | None = None
) -> Consultation:
    """Join the contact: the item is shared with the colleague read-only."""
    return _settle(engine, consultation_id, operator_id, JOINED, None, now or utcnow())


def involving(
    engine: Engine, *, operator_id: int, now: datetime | None = None
) -> tuple[Consultation, ...]:
    """The recent consultations a person asked, answered or may answer."""
    now = now or utcnow()
    with Session(engine) as session:
        operator = people.get_operator(session=session, operator_id=operator_id)
        profession = operator.profession if operator is not None else None
        rows = repo.involving(
            session=session,
            operator_id=operator_id,
            profession=profession,
            since=now - KEPT_IN_VIEW,
        )
        names = _names(session)
        return tuple(_value(row, names) for row in rows)


def may_see_item(engine: Engine, *, operator_id: int, item_id: int) -> bool:
    """True when the person joined a consultation on the item (its read-only view)."""
    with Session(engine) as session:
        return repo.joined(session=session, operator_id=operator_id, item_id=item_id)


def _settle(
    engine: Engine,
    consultation_id: int,
    operator_id: int,
    outcome: str,
    text: str | None,
    now: datetime,
) -> Consultation:
    with write_session(engine) as session:
        operator = active_operator(session, operator_id)
        row = repo.get_consultation(session=session, consultation_id=consultation_id, lock=True)
        if row is None:
            raise BadInput(code="consult.unknown", id=consultation_id)
        if row.outcome is not None:
            raise NotAllowed(code="consult.settled", id=consultation_id)
        addressed = (
            row.colleague_id == operator_id
            if row.colleague_id is not None
            else operator.profession == row.profession
        )
        if not addressed or row.asker_id == operator_id:
            raise NotAllowed(code="consult.not_yours", id=consultation_id)
        row.outcome = outcome
        row.answer = text
        row.answered_by_id = operator_id
        row.answered_at = now
        row.updated_at = utcnow()
        session.add(row)
        if row.item_id is not None:
            repo.mark_multi_professional(session=session, item_id=row.item_id)
            item = queue_repo.get_item(session=session, item_id=row.item_id)
            if item is not None:  # the asker's view hears of it with the item
                item.updated_at = utcnow()
                session.add(item)
        _audit(session, operator.name, operator_id, f"consult.{outcome}", row)
        return _value(row, _names(session))


def _text(value: str, *, code: str) -> str:
    text = " ".join(value.split())
    if not text:
        raise BadInput(code=code)
    if len(text) > MAX_QUESTION:
        raise BadInput(code="consult.too_long", most=MAX_QUESTION)
    return text


def _names(session: Session) -> dict[int, str]:
    return {
        operator.id: operator.name
        for operator in people.list_operators(session=session)
        if operator.id is not None
    }


def _value(row: ConsultationRow, names: dict[int, str]) -> Consultation:
    assert row.id is not None
    codes = json.loads(row.codes) if row.codes else {}
    return Consultation(
        id=row.id,
        item_id=row.item_id,
        asker_id=row.asker_id,
        asker=names.get(row.asker_id, ""),
        colleague_id=row.colleague_id,
        colleague=names.get(row.colleague_id) if row.colleague_id is not None else None,
        profession=row.profession,
        codes=tuple((str(key), str(value)) for key, value in sorted(codes.items())),
        question=row.question or "",
        answer=row.answer,
        outcome=row.outcome,
        answered_by_id=row.answered_by_id,
        answered_by=names.get(row.answered_by_id) if row.answered_by_id is not None else None,
        asked_at=row.asked_at,
        answered_at=row.answered_at,
    )


def _audit(
    session: Session, actor: str, operator_id: int, action: str, row: ConsultationRow
) -> None:
    record(
        session=session,
        actor=actor,
        operator_id=operator_id,
        action=action,
        entity="consultation",
        entity_id=row.id,
        detail={"item_id": row.item_id},
    )
