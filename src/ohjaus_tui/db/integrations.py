"""The platforms that post events to the desk's API (``integration``).

Keyword-only functions over a caller's session; the caller owns the
transaction. Only a token's hash is ever stored or read here.
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from ohjaus_tui.db.models import Integration


def integrations(*, session: Session) -> list[Integration]:
    """Every integration, revoked ones too, by name."""
    return list(session.exec(select(Integration).order_by(col(Integration.name))))


def find(*, session: Session, name: str) -> Integration | None:
    return session.exec(select(Integration).where(Integration.name == name)).first()


def active_hashes(*, session: Session) -> list[tuple[str, str]]:
    """The name and token hash of each integration that is not revoked."""
    query = select(Integration.name, Integration.token_hash).where(
        col(Integration.revoked_at).is_(None)
    )
    return [(name, token_hash) for name, token_hash in session.exec(query)]
