"""The people at the desk: adding and changing them, PINs, signing in.

A person is identified either by a PIN (stored only as a salted scrypt
hash, see :mod:`ohjaus_tui.domain.pins`) or by the OS account an admin
mapped to them. Five wrong PINs within a quarter of an hour lock the name
for the rest of that quarter; every sign-in and every failure is in the
audit trail, which is also where the lock is counted from.

Managing people needs the admin role. Until a desk has an active admin who
can sign in (a new desk, or one whose people predate PINs), whoever can open
its database may add and change its people, and nothing else, so that the
first admin can be added: :func:`os_actor` marks them ``founding``, and the
audit trail records them by their OS account.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import Session

from ohjaus_tui.db import operators as people
from ohjaus_tui.db.audit import record
from ohjaus_tui.db.codelists import load_codebook
from ohjaus_tui.db.engine import write_session
from ohjaus_tui.db.models import AuditEvent, Operator
from ohjaus_tui.domain.calendar import utcnow
from ohjaus_tui.domain.codes import CodeList, Role
from ohjaus_tui.domain.pins import hash_pin, pin_problem, verify_pin
from ohjaus_tui.errors import BadInput, NotAllowed, refuse_identity_code
from ohjaus_tui.services.actor import Actor
from ohjaus_tui.settings import ui_language
from ohjaus_tui.words import N_

MAX_FAILURES = 5
LOCK_WINDOW = timedelta(minutes=15)
SIGN_IN = "signin"
SIGN_IN_FAILED = "signin.failed"
SIGN_IN_LOCKED = "signin.locked"
PIN_SET = "operator.pin"


def add_operator(
    engine: Engine,
    name: str,
    *,
    role: Role = Role.OPERATOR,
    language: str = "fi",
    pin: str | None = None,
    os_user: str | None = None,
    profession: str | None = None,
    actor: Actor,
) -> Operator:
    """Add a person who signs in with ``pin``, or is known by ``os_user``, or both;
    ``profession``: a code of the ``profession`` list."""
    name = " ".join(name.split())
    refuse_identity_code(name, code="operator.name_hetu")
    refuse_identity_code(os_user, code="operator.os_user_hetu")
    if not name or len(name) > 80:
        raise BadInput(code="operator.name_length")
    if pin is None and not os_user:
        raise BadInput(code="operator.no_way_in", name=name)
    _check_pin(pin)
    actor.require(Role.ADMIN, N_("action.add_people"), founding_ok=True)
    with write_session(engine) as session:
        if people.find_operator(session=session, name=name) is not None:
            raise BadInput(code="operator.exists", name=name)
        _check_os_user(session, os_user, name)
        _check_profession(session, profession)
        operator = Operator(
            name=name,
            role=role.value,
            ui_language=ui_language(language),
            pin_hash=hash_pin(pin) if pin is not None else None,
            os_user=os_user or None,
            profession=profession or None,
        )
        session.add(operator)
        session.flush()
        _audit(
            session,
            actor,
            "operator.add",
            operator,
            detail={
                "name": name,
                "role": role.value,
                "os_user": os_user,
                "profession": profession or None,
            },
        )
        return operator


def update_operator(
    engine: Engine,
    name: str,
    *,
    role: Role | None = None,
    language: str | None = None,
    os_user: str | None = None,
    profession: str | None = None,
    actor: Actor,
) -> Operator:
    """Change a person's role, language, OS account (``os_user=""`` removes it) or
    profession (``profession=""`` removes it)."""
    actor.require(Role.ADMIN, N_("action.change_people"), founding_ok=True)
    refuse_identity_code(os_user, code="operator.os_user_hetu")
    with write_session(engine) as session:
        operator = _existing(session, name)
        changes: dict[str, object] = {}
        if role is not None and role.value != operator.role:
            if operator.role == Role.ADMIN.value:
                _keep_an_admin(session, operator)
            operator.role = role.value
            changes["role"] = role.value
        if language is not None and ui_language(language) != operator.ui_language:
            operator.ui_language = ui_language(language)
            changes["language"] = operator.ui_language
        if os_user is not None and (os_user or None) != operator.os_user:
            if not os_user and operator.pin_hash is None:
                raise BadInput(code="operator.keep_os_user", name=operator.name)
            _check_os_user(session, os_user, operator.name)
            operator.os_user = os_user or None
            changes["os_user"] = operator.os_user
        if profession is not None and (profession or None) != operator.profession:
            _check_profession(session, profession)
            operator.profession = profession or None
            changes["profession"] = profession or "-"
        if changes:
            session.add(operator)
            _audit(session, actor, "operator.update", operator, detail=changes)
        return operator


def set_pin(engine: Engine, name: str, pin: str, *, actor: Actor) -> Operator:
    """A new PIN for ``name``: by an admin, or by the person themself."""
    _check_pin(pin)
    with write_session(engine) as session:
        operator = _existing(session, name)
        if actor.operator_id != operator.id:
            actor.require(Role.ADMIN, N_("action.set_pin"), founding_ok=True)
        operator.pin_hash = hash_pin(pin)
        session.add(operator)
        _audit(session, actor, PIN_SET, operator)  # also ends a lock
        return operator


def deactivate_operator(engine: Engine, name: str, *, actor: Actor) -> Operator:
    """Deactivate a person; their records stay, and they can no longer sign in."""
    actor.require(Role.ADMIN, N_("action.deactivate_people"), founding_ok=True)
    with write_session(engine) as session:
        operator = _existing(session, name)
        if operator.role == Role.ADMIN.value and operator.active:
            _keep_an_admin(session, operator)
        operator.active = False
        session.add(operator)
        _audit(session, actor, "operator.deactivate", operator)
        return operator


def list_operators(engine: Engine, *, active_only: bool = False) -> list[Operator]:
    with Session(engine) as session:
        return list(people.list_operators(session=session, active_only=active_only))


def find_operator(engine: Engine, name: str) -> Operator:
    with Session(engine) as session:
        operator = people.find_operator(session=session, name=name)
    if operator is None:
        raise BadInput(code="operator.unknown", name=name)
    if not operator.active:
        raise BadInput(code="operator.not_active", name=name)
    return operator


def operator_for_os_user(engine: Engine, os_user: str) -> Operator | None:
    """The active person an admin mapped to this OS account, if any."""
    with Session(engine) as session:
        operator = people.operator_by_os_user(session=session, os_user=os_user)
    return operator if operator is not None and operator.active else None


def os_actor(engine: Engine, os_user: str) -> Actor:
    """Who the OS account ``os_user`` is at this desk.

    The person mapped to it; or, while the desk has no admin who can sign
    in, its founder (see the module's docstring); or nobody (no role).
    """
    operator = operator_for_os_user(engine, os_user)
    if operator is not None:
        return Actor.of(operator)
    with Session(engine) as session:
        admins = people.count_admins_who_can_sign_in(session=session)
    if admins == 0:
        return Actor(name=f"os:{os_user}", founding=True)
    return Actor(name=f"os:{os_user}")


def authenticate(engine: Engine, name: str, pin: str, *, now: datetime | None = None) -> Operator:
    """The person ``name`` if ``pin`` is theirs; NotAllowed otherwise.

    Every attempt on a known name is recorded (``signin``, ``signin.failed``,
    or ``signin.locked`` for one refused without looking at the PIN, because
    of too many recent failures); the operator's row is locked meanwhile, so
    that parallel attempts are counted one after another.
    """
    now = now or utcnow()
    locked: Locked | None = None
    with write_session(engine) as session:
        operator = people.lock_operator(session=session, name=" ".join(name.split()))
        if operator is None or operator.id is None:
            raise NotAllowed(code="signin.wrong_pin")
        if not operator.active:
            raise NotAllowed(code="operator.deactivated", name=operator.name)
        failures = _recent_failures(session, operator.id, now)
        if len(failures) >= MAX_FAILURES:
            until = min(event.at for event in failures[:MAX_FAILURES]) + LOCK_WINDOW
            locked = Locked(operator.name, until)
            action = SIGN_IN_LOCKED
        else:
            ok = verify_pin(pin, operator.pin_hash)
            action = SIGN_IN if ok else SIGN_IN_FAILED
        _audit(session, Actor(operator.name, operator.id), action, operator, at=now)
    if locked is not None:
        raise locked
    if action != SIGN_IN:
        raise NotAllowed(code="signin.wrong_pin")
    return operator


def record_os_sign_in(engine: Engine, operator: Operator, os_user: str) -> None:
    """A sign-in the OS account vouched for (no PIN): in the trail like any other."""
    with write_session(engine) as session:
        _audit(session, Actor.of(operator), SIGN_IN, operator, detail={"os_user": os_user})


class Locked(NotAllowed):
    """Too many wrong PINs: the name is locked until ``until``."""

    def __init__(self, name: str, until: datetime) -> None:
        self.name = name
        self.until = until
        super().__init__(code="signin.locked", name=name)


def _recent_failures(session: Session, operator_id: int, now: datetime) -> list[AuditEvent]:
    events = people.sign_in_events(
        session=session,
        operator_id=operator_id,
        since=now - LOCK_WINDOW,
        actions=(SIGN_IN, SIGN_IN_FAILED, PIN_SET),
    )
    failures = []
    for event in events:  # newest first: count back to the last success
        if event.action != SIGN_IN_FAILED:
            break
        failures.append(event)
    return failures


def _check_pin(pin: str | None) -> None:
    """BadInput by what is wrong with a new PIN: :func:`pin_problem`'s code and values."""
    problem = pin_problem(pin) if pin is not None else None
    if problem is not None:
        raise BadInput(str(problem), code=problem.code, **problem.params)


def _check_os_user(session: Session, os_user: str | None, name: str) -> None:
    if not os_user:
        return
    if len(os_user) > 64 or any(c.isspace() for c in os_user):
        raise BadInput(code="operator.os_user_shape", os_user=os_user)
    holder = people.operator_by_os_user(session=session, os_user=os_user)
    if holder is not None and holder.name != name:
        raise BadInput(code="operator.os_user_taken", os_user=os_user, holder=holder.name)


def _check_profession(session: Session, profession: str | None) -> None:
    if profession and not load_codebook(session=session).is_valid(CodeList.PROFESSION, profession):
        raise BadInput(code="consult.profession_unknown", profession=profession)


def _existing(session: Session, name: str) -> Operator:
    operator = people.find_operator(session=session, name=" ".join(name.split()))
    if operator is None:
        raise BadInput(code="operator.unknown", name=name)
    return operator


def _keep_an_admin(session: Session, operator: Operator) -> None:
    can_sign_in = operator.pin_hash is not None or operator.os_user is not None
    people.lock_admins(session=session)
    if can_sign_in and people.count_admins_who_can_sign_in(session=session) <= 1:
        raise BadInput(code="operator.last_admin", name=operator.name)


def _audit(
    session: Session,
    actor: Actor,
    action: str,
    operator: Operator,
    *,
    at: datetime | None = None,
    detail: dict[str, object] | None = None,
) -> None:
    record(
        session=session,
        actor=actor.name,
        operator_id=actor.operator_id,
        action=action,
        entity="operator",
        entity_id=operator.id,
        detail={k: v for k, v in (detail or {}).items() if v is not None} or None,
        at=at,
    )
