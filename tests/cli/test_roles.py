"""Who may run which command: ``--as NAME`` with a PIN, or the OS account's person."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select
from typer.testing import Result

from ohjaus_tui.db.models import AuditEvent, Operator, QueueItem
from ohjaus_tui.domain.codes import Role
from ohjaus_tui.services.actor import Actor, os_user_name
from ohjaus_tui.services.operators import add_operator, update_operator
from tests.cli.conftest import Invoke
from tests.conftest import PINS

ADMIN = Actor("test-admin", role=Role.ADMIN)

pytestmark = pytest.mark.founding  # the OS account is nobody here unless a test maps it


@pytest.fixture
def staffed(engine: Engine, people: dict[str, int]) -> dict[str, int]:
    """The people fixture plus an admin who can sign in: the OS account is nobody now."""
    add_operator(engine, "Aino", role=Role.ADMIN, pin="9753", actor=ADMIN)
    return people


def error_line(result: Result, code: int = 1) -> str:
    """The one error line (after any PIN prompt); never a traceback."""
    assert result.exit_code == code, result.output
    lines = result.stderr.strip().splitlines()
    assert all(line.startswith("PIN for ") for line in lines[:-1]), lines
    assert "Traceback" not in result.output
    return lines[-1]


def last_action(engine: Engine, prefix: str) -> AuditEvent:
    with Session(engine) as session:
        query = select(AuditEvent).where(col(AuditEvent.action).startswith(prefix))
        return session.exec(query.order_by(col(AuditEvent.id).desc())).first()  # type: ignore[return-value]


def test_a_lead_runs_a_report_and_the_run_is_audited(
    ohjaus: Invoke, engine: Engine, staffed: dict[str, int]
) -> None:
    result = ohjaus(
        "--as", "Liisa", "report", "--month", "2025-03", "--format", "json", input="2468\n"
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["period"]["start"] == "2025-03-01"
    event = last_action(engine, "report.run")
    assert (event.actor, event.operator_id) == ("Liisa", staffed["Liisa"])
    assert "2025-03-01" in (event.detail or "")


def test_an_operator_may_not_run_a_report(ohjaus: Invoke, staffed: dict[str, int]) -> None:
    result = ohjaus("--as", "Anna", "report", "--month", "2025-03", input=f"{PINS['Anna']}\n")
    line = error_line(result)
    assert "running reports needs the lead role; Anna is operator" in line


def test_a_wrong_pin_is_refused_and_recorded(
    ohjaus: Invoke, engine: Engine, staffed: dict[str, int]
) -> None:
    line = error_line(ohjaus("--as", "Liisa", "report", "--month", "2025-03", input="1111\n"))
    assert "wrong name or PIN" in line
    assert last_action(engine, "signin.failed").entity_id == str(staffed["Liisa"])
    assert last_action(engine, "report.run") is None


def test_no_pin_given(ohjaus: Invoke, staffed: dict[str, int]) -> None:
    line = error_line(ohjaus("--as", "Liisa", "report", "--month", "2025-03", input=""), code=2)
    assert "no PIN given" in line


def test_an_unknown_os_account_is_told_how_to_identify(
    ohjaus: Invoke, staffed: dict[str, int]
) -> None:
    line = error_line(ohjaus("codes", "add", "reason", "x", "--fi", "x", "--sv", "x", "--en", "x"))
    assert "changing the code lists needs the admin role" in line
    assert "--as NAME" in line and "--os-user" in line


def test_a_mapped_os_account_needs_no_pin(
    ohjaus: Invoke, engine: Engine, staffed: dict[str, int]
) -> None:
    update_operator(engine, "Liisa", os_user=os_user_name(), actor=ADMIN)
    result = ohjaus("report", "--month", "2025-03", "--format", "json")
    assert result.exit_code == 0, result.output
    assert last_action(engine, "report.run").actor == "Liisa"
    line = error_line(ohjaus("audit"))  # a lead, not an admin
    assert "reading the audit trail needs the admin role; Liisa is lead" in line


@pytest.mark.parametrize(
    ("args", "what"),
    [
        (("directory", "import", "data/directory_sample.csv"), "importing the service directory"),
        (("contacts", "export"), None),
        (("operators", "list"), "listing people"),
        (("operators", "deactivate", "Mikko"), "deactivating people"),
        (("purge", "--days", "30"), "purging"),
        (("audit",), "reading the audit trail"),
    ],
)
def test_admin_commands_refuse_an_operator(
    ohjaus: Invoke, staffed: dict[str, int], args: tuple[str, ...], what: str | None
) -> None:
    line = error_line(ohjaus("--as", "Anna", *args, input=f"{PINS['Anna']}\n"))
    assert f"{what or 'exporting contacts'} needs the" in line
    assert "Anna is operator" in line


def test_an_operator_reads_the_directory_and_nobody_unknown_does(
    ohjaus: Invoke, staffed: dict[str, int]
) -> None:
    result = ohjaus("--as", "Anna", "directory", "list", input=f"{PINS['Anna']}\n")
    assert result.exit_code == 0, result.output
    line = error_line(ohjaus("directory", "list"))
    assert "reading the service directory needs the operator role" in line


def test_the_live_queue_needs_a_person(ohjaus: Invoke, staffed: dict[str, int]) -> None:
    line = error_line(ohjaus("intake", input='{"channel": "message"}\n'))
    assert "the live queue needs the operator role" in line


def test_a_contacts_export_is_audited(
    ohjaus: Invoke, engine: Engine, staffed: dict[str, int]
) -> None:
    result = ohjaus("--as", "Liisa", "contacts", "export", "--year", "2024", input="2468\n")
    assert result.exit_code == 0, result.output
    event = last_action(engine, "contacts.export")
    assert event.actor == "Liisa" and "2024-01-01" in (event.detail or "")


def test_an_admin_adds_a_person_with_a_pin_typed_twice(
    ohjaus: Invoke, engine: Engine, staffed: dict[str, int]
) -> None:
    result = ohjaus(
        "--as", "Aino", "operators", "add", "Eero", "--role", "lead", input="9753\n1470\n1470\n"
    )
    assert result.exit_code == 0, result.output
    assert "1470" not in result.output
    listed = ohjaus("--as", "Aino", "operators", "list", "--format", "json", input="9753\n")
    eero = next(p for p in json.loads(listed.stdout) if p["name"] == "Eero")
    assert eero == {
        "name": "Eero",
        "role": "lead",
        "language": "fi",
        "active": True,
        "pin": True,
        "os_user": None,
        "profession": None,
    }
    assert last_action(engine, "operator.add").actor == "Aino"


def test_a_person_is_added_and_listed_in_finnish(ohjaus: Invoke, staffed: dict[str, int]) -> None:
    result = ohjaus(
        "--as", "Aino", "operators", "add", "Eero", "--role", "lead", input="9753\n1470\n1470\n",
        language="fi",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Lisätty esihenkilö 'Eero', kirjautuu PIN-koodilla." in result.stdout
    listed = ohjaus("--as", "Aino", "operators", "list", input="9753\n", language="fi")
    assert "käyttäjätunnus" in listed.stdout
    refused = ohjaus(
        "--as", "Aino", "operators", "add", "Eero", input="9753\n1470\n1470\n", language="fi"
    )
    assert "Henkilö nimeltä 'Eero' on jo olemassa." in refused.stderr


def test_pins_that_do_not_match_add_nobody(
    ohjaus: Invoke, engine: Engine, staffed: dict[str, int]
) -> None:
    result = ohjaus("--as", "Aino", "operators", "add", "Eero", input="9753\n1470\n1471\n")
    assert result.exit_code != 0
    with Session(engine) as session:
        assert session.exec(select(Operator).where(Operator.name == "Eero")).first() is None


def test_a_new_desk_takes_its_first_admin_from_whoever_opens_it(
    ohjaus: Invoke, engine: Engine
) -> None:
    result = ohjaus("operators", "add", "Aino", "--role", "admin", input="9753\n9753\n")
    assert result.exit_code == 0, result.output
    assert last_action(engine, "operator.add").actor == f"os:{os_user_name()}"
    line = error_line(ohjaus("operators", "add", "Eero", input="1470\n1470\n"))
    assert "adding people needs the admin role" in line  # from now on, the admin decides


def test_the_founder_of_a_desk_may_only_add_its_people(ohjaus: Invoke) -> None:
    line = error_line(ohjaus("report", "--month", "2025-03"))
    assert "no admin who can sign in yet: add one first" in line
    line = error_line(ohjaus("audit"))
    assert "reading the audit trail needs the admin role" in line


def test_the_environment_cannot_pose_as_a_mapped_account(
    ohjaus: Invoke, engine: Engine, staffed: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    update_operator(engine, "Liisa", os_user="liisa-posed", actor=ADMIN)
    for variable in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        monkeypatch.setenv(variable, "liisa-posed")
    line = error_line(ohjaus("report", "--month", "2025-03"))
    assert f"os:{os_user_name()} is not a person of this desk" in line


def test_a_pin_piped_before_the_intake_lines_leaves_them_for_the_intake(
    ohjaus: Invoke, engine: Engine, staffed: dict[str, int]
) -> None:
    lines = '{"channel": "message", "subject": "a"}\n{"channel": "message", "subject": "b"}\n'
    result = ohjaus("--as", "Anna", "intake", input=f"{PINS['Anna']}\n{lines}")
    assert result.exit_code == 0, result.output
    with Session(engine) as session:
        assert len(session.exec(select(QueueItem)).all()) == 2


def test_a_demo_does_not_take_over_a_desk(
    ohjaus: Invoke, engine: Engine, staffed: dict[str, int]
) -> None:
    add_operator(engine, "Admin", role=Role.ADMIN, pin="8642", actor=ADMIN)
    line = error_line(ohjaus("demo"))
    assert "preparing a demo desk needs the admin role" in line
    with Session(engine) as session:
        admin = session.exec(select(Operator).where(Operator.name == "Admin")).one()
        assert admin.os_user is None
        assert session.exec(select(Operator).where(Operator.name == "Sofia")).first() is None


def test_a_demo_on_a_desk_where_the_os_account_is_someones_writes_nothing(
    ohjaus: Invoke, engine: Engine
) -> None:
    """The OS account belongs to the desk's own admin: the demo would have added five
    people (one an admin with the published PIN) and then failed to map it."""
    add_operator(engine, "Eero", role=Role.ADMIN, pin="8642", os_user=os_user_name(), actor=ADMIN)
    with Session(engine) as session:
        before = len(session.exec(select(Operator)).all())
    line = error_line(ohjaus("demo"), code=2)
    assert f"your OS account {os_user_name()} belongs to Eero on this desk" in line
    with Session(engine) as session:
        assert len(session.exec(select(Operator)).all()) == before
