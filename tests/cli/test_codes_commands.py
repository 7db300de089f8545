"""A county adds codes; a code in use is deactivated, never deleted."""

from __future__ import annotations

import json

from sqlalchemy import Engine, text

from tests.cli.conftest import Invoke


def _codes(ohjaus: Invoke, *args: str) -> list[dict[str, object]]:
    result = ohjaus("codes", "list", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return list(json.loads(result.output))


def test_the_defaults_are_loaded(ohjaus: Invoke) -> None:
    reasons = {row["code"]: row for row in _codes(ohjaus, "reason")}
    assert reasons["health"]["fi"] == "Terveydelliset"
    assert reasons["appointment"]["group"] == "other"


def test_a_county_code_is_added_then_deleted_when_unused(ohjaus: Invoke) -> None:
    added = ohjaus(
        "codes", "add", "reason", "housing", "--fi", "Asuminen", "--sv", "Boende", "--en", "Housing"
    )
    assert added.exit_code == 0, added.output
    assert any(row["code"] == "housing" for row in _codes(ohjaus, "reason"))
    removed = ohjaus("codes", "remove", "reason", "housing")
    assert "deleted" in removed.output
    assert not any(row["code"] == "housing" for row in _codes(ohjaus, "reason", "--all"))


def test_a_code_in_use_is_deactivated(ohjaus: Invoke, engine: Engine) -> None:
    ohjaus("codes", "add", "reason", "housing", "--fi", "Asuminen", "--sv", "Boende", "--en", "H")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO contact_log (source, started_at, logged_at, channel, caller_type, "
                "identified, on_behalf, language, referral, many_services) VALUES ('import', "
                "'2025-01-02 08:00:00', '2025-01-02 08:10:00', 'phone', 'client', false, false, "
                "'fi', 'none', false)"
            )
        )
        connection.execute(
            text("INSERT INTO contact_reason (contact_id, reason) VALUES (1, 'housing')")
        )
    result = ohjaus("codes", "remove", "reason", "housing")
    assert result.exit_code == 0
    assert "deactivated" in result.output
    rows = {row["code"]: row for row in _codes(ohjaus, "reason", "--all")}
    assert rows["housing"]["active"] is False
    assert "housing" not in {row["code"] for row in _codes(ohjaus, "reason")}


def test_defaults_cannot_be_removed_and_closed_lists_not_extended(ohjaus: Invoke) -> None:
    removed = ohjaus("codes", "remove", "reason", "health")
    assert removed.exit_code == 2
    assert "national default" in removed.output
    added = ohjaus("codes", "add", "channel", "fax", "--fi", "Faksi", "--sv", "Fax", "--en", "Fax")
    assert added.exit_code == 2
    bad = ohjaus("codes", "add", "reason", "Bad Code", "--fi", "x", "--sv", "x", "--en", "x")
    assert bad.exit_code == 2
    assert "lowercase" in bad.output


def test_a_county_code_is_added_and_refused_in_finnish(ohjaus: Invoke) -> None:
    added = ohjaus(
        "codes", "add", "reason", "housing", "--fi", "Asuminen", "--sv", "Boende", "--en", "H",
        language="fi",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    assert "Lisätty koodistoon reason koodi 'housing' (Asuminen)." in added.stdout
    again = ohjaus(
        "codes", "add", "reason", "housing", "--fi", "A", "--sv", "B", "--en", "H", language="fi"
    )
    assert again.exit_code == 2
    assert "Koodistossa reason on jo koodi 'housing'." in again.stderr
