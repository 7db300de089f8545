"""The desk's canned answers (``answer``).

Keyword-only functions over a caller's session; the caller owns the
transaction (see :func:`ohjaus_tui.db.engine.write_session`).
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from ohjaus_tui.db.models import Answer


def answers(*, session: Session, language: str | None = None) -> list[Answer]:
    """The answers (in ``language``, or all), by key and language."""
    query = select(Answer).order_by(col(Answer.key), col(Answer.language))
    if language is not None:
        query = query.where(Answer.language == language)
    return list(session.exec(query))


def find(*, session: Session, key: str, language: str) -> Answer | None:
    query = select(Answer).where(Answer.key == key, Answer.language == language)
    return session.exec(query).first()
