"""The shipped code lists hold exactly the default codes of docs/codes.md."""

from __future__ import annotations

from ohjaus_tui.db.codelists import read_codelists_file
from ohjaus_tui.domain.codes import CodeList

DOMAIN_DEFAULTS = {
    "channel": ["phone", "chat", "message"],
    "caller_type": ["client", "relative", "professional", "unknown"],
    "reason": [
        "health",
        "social",
        "appointment",
        "contact_info",
        "digital_support",
        "own_documents",
        "on_behalf",
        "other",
    ],
    "referral": ["none", "internal", "external"],
    "referral_mode": ["handoff", "instructed"],
    "segment": [
        "older_people",
        "disability",
        "mental_substance",
        "children_families",
        "working_age",
        "health",
        "urgent",
    ],
    "level": ["1", "2", "3", "4"],
    "identification": ["anonymous", "identified"],
    "language": ["fi", "sv", "en", "other"],
    "provider_type": [
        "county",
        "municipality",
        "third_sector",
        "kela",
        "private",
        "parish",
        "state",
    ],
    "profession": ["nurse", "social", "other"],
}


def test_exactly_the_default_codes_in_order() -> None:
    entries = read_codelists_file()
    found: dict[str, list[str]] = {}
    for entry in entries:
        found.setdefault(entry.list, []).append(entry.code)
    assert found == DOMAIN_DEFAULTS
    assert set(found) == {item.value for item in CodeList}


def test_every_code_has_three_labels_and_reasons_have_groups() -> None:
    for entry in read_codelists_file():
        assert entry.fi and entry.sv and entry.en, entry
        if entry.list == "reason":
            expected = entry.code if entry.code in ("health", "social") else "other"
            assert entry.group == expected
        else:
            assert entry.group is None
