"""People of the desk: PINs, sign-in and its lock, OS accounts, and who may manage whom."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from ohjaus_tui.db.models import AuditEvent, Operator
from ohjaus_tui.domain.calendar import utcnow
from ohjaus_tui.domain.codes import Role
from ohjaus_tui.errors import BadInput, NotAllowed
from ohjaus_tui.services.actor import Actor
from ohjaus_tui.services.operators import (
    LOCK_WINDOW,
    MAX_FAILURES,
    Locked,
    add_operator,
    authenticate,
    deactivate_operator,
    os_actor,
    set_pin,
    update_operator,
)
from tests.conftest import PINS

ADMIN = Actor("test-admin", role=Role.ADMIN)


def actions(engine: Engine, action: str) -> list[AuditEvent]:
    with Session(engine) as session:
        return list(session.exec(select(AuditEvent).where(AuditEvent.action == action)).all())


def test_only_a_hash_of_the_pin_is_stored(engine: Engine) -> None:
    add_operator(engine, "Anna", pin="2580", actor=ADMIN)
    with Session(engine) as session:
        stored = session.exec(select(Operator).where(Operator.name == "Anna")).one()
    assert stored.pin_hash is not None and stored.pin_hash.startswith("scrypt$")
    assert "2580" not in stored.pin_hash
    with Session(engine) as session:
        details = [e.detail or "" for e in session.exec(select(AuditEvent)).all()]
    assert not any("2580" in d for d in details)


def test_a_person_needs_a_pin_or_an_os_account(engine: Engine) -> None:
    with pytest.raises(BadInput, match="needs a PIN or an OS account"):
        add_operator(engine, "Anna", actor=ADMIN)
    with pytest.raises(BadInput, match="digits only"):
        add_operator(engine, "Anna", pin="abcd", actor=ADMIN)
    assert add_operator(engine, "Anna", os_user="anna", actor=ADMIN).os_user == "anna"


def test_the_right_pin_signs_in_and_a_wrong_one_does_not(
    engine: Engine, people: dict[str, int]
) -> None:
    assert authenticate(engine, "Anna", PINS["Anna"]).id == people["Anna"]
    with pytest.raises(NotAllowed, match="wrong name or PIN"):
        authenticate(engine, "Anna", "9999")
    with pytest.raises(NotAllowed, match="wrong name or PIN"):
        authenticate(engine, "Nobody", "9999")  # an unknown name says no more than that
    assert [e.entity_id for e in actions(engine, "signin")] == [str(people["Anna"])]
    assert [e.entity_id for e in actions(engine, "signin.failed")] == [str(people["Anna"])]


def test_five_wrong_pins_lock_the_name_for_a_quarter_of_an_hour(
    engine: Engine, people: dict[str, int]
) -> None:
    start = utcnow()
    for n in range(MAX_FAILURES):
        with pytest.raises(NotAllowed):
            authenticate(engine, "Anna", "9999", now=start + timedelta(seconds=n))
    with pytest.raises(Locked):  # even the right PIN, while locked
        authenticate(engine, "Anna", PINS["Anna"], now=start + timedelta(minutes=1))
    assert len(actions(engine, "signin.locked")) == 1
    authenticate(engine, "Mikko", PINS["Mikko"], now=start + timedelta(minutes=1))  # only Anna
    later = start + LOCK_WINDOW + timedelta(seconds=MAX_FAILURES)
    assert authenticate(engine, "Anna", PINS["Anna"], now=later).name == "Anna"


def test_a_new_pin_ends_the_lock(engine: Engine, people: dict[str, int]) -> None:
    start = utcnow()
    for n in range(MAX_FAILURES):
        with pytest.raises(NotAllowed):
            authenticate(engine, "Anna", "9999", now=start - timedelta(seconds=10 - n))
    with pytest.raises(Locked):
        authenticate(engine, "Anna", PINS["Anna"], now=start)
    set_pin(engine, "Anna", "4680", actor=ADMIN)
    assert authenticate(engine, "Anna", "4680", now=start + timedelta(seconds=1)).name == "Anna"


def test_a_deactivated_person_cannot_sign_in(engine: Engine, people: dict[str, int]) -> None:
    deactivate_operator(engine, "Anna", actor=ADMIN)
    with pytest.raises(NotAllowed, match="deactivated"):
        authenticate(engine, "Anna", PINS["Anna"])


def test_managing_people_needs_the_admin_role(engine: Engine, people: dict[str, int]) -> None:
    lead = Actor("Liisa", people["Liisa"], Role.LEAD)
    with pytest.raises(NotAllowed, match="adding people needs the admin role; Liisa is lead"):
        add_operator(engine, "Eero", pin="2580", actor=lead)
    with pytest.raises(NotAllowed, match="admin"):
        deactivate_operator(engine, "Anna", actor=lead)
    with pytest.raises(NotAllowed, match="admin"):
        update_operator(engine, "Anna", role=Role.LEAD, actor=lead)
    with pytest.raises(NotAllowed, match="another person's PIN"):
        set_pin(engine, "Anna", "4680", actor=lead)


def test_a_person_may_set_their_own_pin(engine: Engine, people: dict[str, int]) -> None:
    anna = Actor("Anna", people["Anna"], Role.OPERATOR)
    set_pin(engine, "Anna", "4680", actor=anna)
    assert authenticate(engine, "Anna", "4680").name == "Anna"


def test_the_last_admin_who_can_sign_in_stays(engine: Engine) -> None:
    add_operator(engine, "Aino", role=Role.ADMIN, pin="2580", actor=ADMIN)
    with pytest.raises(BadInput, match="only active admin"):
        deactivate_operator(engine, "Aino", actor=ADMIN)
    with pytest.raises(BadInput, match="only active admin"):
        update_operator(engine, "Aino", role=Role.LEAD, actor=ADMIN)
    add_operator(engine, "Eero", role=Role.ADMIN, os_user="eero", actor=ADMIN)
    assert not deactivate_operator(engine, "Aino", actor=ADMIN).active


def test_an_os_account_belongs_to_one_person(engine: Engine, people: dict[str, int]) -> None:
    update_operator(engine, "Anna", os_user="anna", actor=ADMIN)
    with pytest.raises(BadInput, match="already Anna's"):
        update_operator(engine, "Mikko", os_user="anna", actor=ADMIN)
    assert [e.detail for e in actions(engine, "operator.update")] == ['{"os_user": "anna"}']


def test_who_an_os_account_is(engine: Engine, people: dict[str, int]) -> None:
    # No admin who can sign in yet: whoever opens the database may add its people.
    founder = os_actor(engine, "tuntematon")
    assert founder == Actor("os:tuntematon", founding=True)
    add_operator(engine, "Eero", pin="1470", actor=founder)
    with pytest.raises(NotAllowed, match="no admin who can sign in yet"):
        founder.require(Role.LEAD, "running reports")
    add_operator(engine, "Aino", role=Role.ADMIN, pin="2580", actor=ADMIN)
    assert os_actor(engine, "tuntematon") == Actor("os:tuntematon")
    update_operator(engine, "Liisa", os_user="liisa", actor=ADMIN)
    assert os_actor(engine, "liisa") == Actor("Liisa", people["Liisa"], Role.LEAD)
    deactivate_operator(engine, "Liisa", actor=ADMIN)
    assert os_actor(engine, "liisa").role is None


def test_roles_include_the_ones_before_them() -> None:
    assert Role.ADMIN.includes(Role.LEAD) and Role.LEAD.includes(Role.OPERATOR)
    assert not Role.OPERATOR.includes(Role.LEAD)
    assert Actor("x", role=Role.ADMIN).may(Role.OPERATOR)
    assert not Actor("x").may(Role.OPERATOR)
