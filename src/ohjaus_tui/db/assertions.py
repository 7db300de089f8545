"""The identity proxy's assertions used once (see :class:`UsedAssertion`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from ohjaus_tui.db.models import UsedAssertion


def use_assertion(*, session: Session, digest: str, expires_at: datetime, now: datetime) -> bool:
    """Note the assertion ``digest`` as used; False when it was used before (also by a
    writer that committed it a moment ago). Those expired by ``now`` are forgotten."""
    session.execute(delete(UsedAssertion).where(col(UsedAssertion.expires_at) < now))
    if session.get(UsedAssertion, digest) is not None:
        return False
    try:
        with session.begin_nested():
            session.add(UsedAssertion(digest=digest, expires_at=expires_at))
    except IntegrityError:
        return False
    return True
