"""The people of the desk: finding them, their OS accounts, admins, sign-in history."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from ohjaus_tui.db.models import AuditEvent, Operator
from ohjaus_tui.domain.codes import Role


def get_operator(*, session: Session, operator_id: int) -> Operator | None:
    return session.get(Operator, operator_id)


def find_operator(*, session: Session, name: str) -> Operator | None:
    return session.exec(select(Operator).where(Operator.name == name)).first()


def list_operators(*, session: Session, active_only: bool = False) -> Sequence[Operator]:
    query = select(Operator).order_by(col(Operator.name))
    if active_only:
        query = query.where(col(Operator.active).is_(True))
    return session.exec(query).all()


def lock_operator(*, session: Session, name: str) -> Operator | None:
    """The person ``name``, their row locked until the transaction ends (PostgreSQL;
    a SQLite writer holds the whole database already)."""
    return session.exec(select(Operator).where(Operator.name == name).with_for_update()).first()


def lock_admins(*, session: Session) -> None:
    """Lock the active admins' rows, so that two changes cannot both remove the last."""
    query = select(Operator.id).where(
        Operator.role == Role.ADMIN.value, col(Operator.active).is_(True)
    )
    session.exec(query.with_for_update()).all()


def operator_by_os_user(*, session: Session, os_user: str) -> Operator | None:
    return session.exec(select(Operator).where(Operator.os_user == os_user)).first()


def count_admins_who_can_sign_in(*, session: Session) -> int:
    """Active admins with a PIN or an OS account (a desk's people from before PINs have neither)."""
    query = (
        select(func.count())
        .select_from(Operator)
        .where(
            Operator.role == Role.ADMIN.value,
            col(Operator.active).is_(True),
            or_(col(Operator.pin_hash).is_not(None), col(Operator.os_user).is_not(None)),
        )
    )
    return int(session.exec(query).one())


def sign_in_events(
    *, session: Session, operator_id: int, since: datetime, actions: Sequence[str]
) -> Sequence[AuditEvent]:
    """The operator's sign-in events (of ``actions``) since ``since``, newest first."""
    query = (
        select(AuditEvent)
        .where(
            AuditEvent.entity == "operator",
            AuditEvent.entity_id == str(operator_id),
            col(AuditEvent.action).in_(actions),
            col(AuditEvent.at) >= since,
        )
        .order_by(col(AuditEvent.at).desc(), col(AuditEvent.id).desc())
    )
    return session.exec(query).all()
