"""The desk's own secrets (``desk_secret``): read one, or keep a new one.

Keyword-only functions over a caller's session; the caller owns the
transaction. Nothing here logs, prints or audits a secret's value.
"""

from __future__ import annotations

import secrets

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from ohjaus_tui.db.engine import write_session
from ohjaus_tui.db.models import DeskSecret

SECRET_BYTES = 32
"""The size of a secret the desk makes for itself."""


def get_secret(*, session: Session, name: str) -> bytes | None:
    """The secret called ``name``; None when the desk has none yet."""
    value = session.exec(select(DeskSecret.value).where(DeskSecret.name == name)).first()
    return bytes.fromhex(value) if value is not None else None


def keep_secret(*, session: Session, name: str, value: bytes) -> bytes:
    """Store ``value`` as the secret ``name`` unless the desk has one already; returns the
    secret the desk now has (another process's, when it stored one first)."""
    try:
        with session.begin_nested():
            session.add(DeskSecret(name=name, value=value.hex()))
    except IntegrityError:  # another process kept its own just now
        kept = get_secret(session=session, name=name)
        if kept is None:
            raise
        return kept
    return value


def desk_secret(engine: Engine, name: str) -> bytes:
    """The secret called ``name``, made (:data:`SECRET_BYTES` random bytes) the first time
    it is needed; the same in every process."""
    with Session(engine) as session:
        secret = get_secret(session=session, name=name)
    if secret is not None:
        return secret
    with write_session(engine) as session:
        return keep_secret(session=session, name=name, value=secrets.token_bytes(SECRET_BYTES))
