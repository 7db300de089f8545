"""``ohjaus operators`` with professions, and a county's own profession (``ohjaus codes``)."""

from __future__ import annotations

import json

from tests.cli.conftest import Invoke
from tests.cli.test_roles import error_line


def professions(ohjaus: Invoke) -> dict[str, str | None]:
    listed = ohjaus("operators", "list", "--format", "json")
    assert listed.exit_code == 0, listed.output
    rows = json.loads(listed.stdout)
    return {row["name"]: row["profession"] for row in rows if row["role"] != "admin"}


def test_a_person_is_added_with_a_profession_and_changes_it(ohjaus: Invoke) -> None:
    added = ohjaus("operators", "add", "Anna", "--profession", "nurse", input="2580\n2580\n")
    assert added.exit_code == 0, added.output
    assert ohjaus("operators", "add", "Mikko", input="2580\n2580\n").exit_code == 0
    assert professions(ohjaus) == {"Anna": "nurse", "Mikko": None}

    changed = ohjaus("operators", "update", "Mikko", "--profession", "social")
    assert changed.exit_code == 0, changed.output
    assert "Mikko: profession Social counsellor." in changed.stdout
    assert professions(ohjaus) == {"Anna": "nurse", "Mikko": "social"}

    table = ohjaus("operators", "list", language="fi")
    assert "ammatti" in table.stdout and "Sosiaaliohj" in table.stdout
    assert "Sairaanhoit" in table.stdout

    removed = ohjaus("operators", "update", "Mikko", "--profession", "")
    assert removed.exit_code == 0, removed.output
    assert professions(ohjaus)["Mikko"] is None


def test_an_unknown_profession_is_refused_in_one_line(ohjaus: Invoke) -> None:
    line = error_line(
        ohjaus("operators", "add", "Anna", "--profession", "dentist", input="2580\n2580\n"),
        code=2,
    )
    assert line.endswith("no profession 'dentist' in the profession list "
                         "(ohjaus codes list profession)")  # fmt: skip
    assert professions(ohjaus) == {}


def test_a_county_adds_its_own_profession(ohjaus: Invoke) -> None:
    added = ohjaus(
        "codes", "add", "profession", "public_health_nurse",
        "--fi", "Terveydenhoitaja", "--sv", "Hälsovårdare", "--en", "Public health nurse",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    person = ohjaus(
        "operators", "add", "Anna", "--profession", "public_health_nurse", input="2580\n2580\n"
    )
    assert person.exit_code == 0, person.output
    assert professions(ohjaus) == {"Anna": "public_health_nurse"}
    listed = ohjaus("codes", "list", "profession", "--format", "json")
    codes = [row["code"] for row in json.loads(listed.stdout)]
    assert codes == ["nurse", "social", "other", "public_health_nurse"]
    # a profession someone has is in use: removing it keeps it, out of use
    removed = ohjaus("codes", "remove", "profession", "public_health_nurse")
    assert removed.exit_code == 0, removed.output
    assert professions(ohjaus) == {"Anna": "public_health_nurse"}
