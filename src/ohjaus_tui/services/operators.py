"""The people at the desk: adding, listing and deactivating operators."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlmodel import Session

from ohjaus_tui.db import queue as repo
from ohjaus_tui.db.audit import record
from ohjaus_tui.db.engine import write_session
from ohjaus_tui.db.models import Operator
from ohjaus_tui.domain.codes import Language, Role
from ohjaus_tui.errors import BadInput
from ohjaus_tui.services.actor import Actor


def add_operator(
    engine: Engine,
    name: str,
    *,
    role: Role = Role.OPERATOR,
    language: Language = Language.FI,
    actor: Actor,
) -> Operator:
    name = " ".join(name.split())
    if not name or len(name) > 80:
        raise BadInput("an operator's name must be 1-80 characters")
    with write_session(engine) as session:
        if repo.find_operator(session=session, name=name) is not None:
            raise BadInput(f"an operator named {name!r} exists already")
        operator = Operator(name=name, role=role.value, ui_language=language.value)
        session.add(operator)
        session.flush()
        record(
            session=session,
            actor=actor.name,
            operator_id=actor.operator_id,
            action="operator.add",
            entity="operator",
            entity_id=operator.id,
            detail={"name": name, "role": role.value},
        )
        return operator


def list_operators(engine: Engine, *, active_only: bool = False) -> list[Operator]:
    with Session(engine) as session:
        return list(repo.list_operators(session=session, active_only=active_only))


def find_operator(engine: Engine, name: str) -> Operator:
    with Session(engine) as session:
        operator = repo.find_operator(session=session, name=name)
    if operator is None:
        raise BadInput(f"no operator named {name!r} (see `ohjaus operators list`)")
    if not operator.active:
        raise BadInput(f"operator {name!r} is deactivated")
    return operator


def deactivate_operator(engine: Engine, name: str, *, actor: Actor) -> Operator:
    with write_session(engine) as session:
        operator = repo.find_operator(session=session, name=name)
        if operator is None:
            raise BadInput(f"no operator named {name!r}")
        operator.active = False
        session.add(operator)
        record(
            session=session,
            actor=actor.name,
            operator_id=actor.operator_id,
            action="operator.deactivate",
            entity="operator",
            entity_id=operator.id,
        )
        return operator
