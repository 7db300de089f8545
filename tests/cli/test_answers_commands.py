"""``ohjaus answers``: the desk's canned answers from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from ohjaus_tui.db.models import AuditEvent
from ohjaus_tui.domain.codes import Role
from ohjaus_tui.services.actor import Actor
from ohjaus_tui.services.answers import load_answers
from ohjaus_tui.services.operators import add_operator
from tests.cli.conftest import Invoke

HETU = "131052-308T"


def actions(engine: Engine) -> list[str]:
    with Session(engine) as session:
        query = select(AuditEvent.action).where(col(AuditEvent.action).startswith("answers."))
        return list(session.exec(query.order_by(col(AuditEvent.id))))


def test_add_list_update_and_remove(ohjaus: Invoke, engine: Engine) -> None:
    added = ohjaus(
        "answers", "add", "aukiolo", "--language", "fi", "--text", "Palvelemme {next_opening}."
    )
    assert added.exit_code == 0, added.output
    assert added.stdout.strip() == "Canned answer aukiolo (fi) added."
    ohjaus("answers", "add", "aukiolo", "-l", "sv", "--text", "Vi betjänar {next_opening}.")

    replaced = ohjaus("answers", "add", "Aukiolo", "-l", "fi", "--text", "Arkisin 9-15.")
    assert replaced.exit_code == 0, replaced.output
    assert replaced.stdout.strip() == (
        "Canned answer aukiolo (fi) already existed: its text was updated."
    )

    table = ohjaus("answers", "list")
    assert table.exit_code == 0, table.output
    assert "Key" in table.stdout and "Arkisin 9-15." in table.stdout
    listed = json.loads(ohjaus("answers", "list", "--language", "sv", "--format", "json").stdout)
    assert [(a["key"], a["language"], a["text"]) for a in listed] == [
        ("aukiolo", "sv", "Vi betjänar {next_opening}.")
    ]

    removed = ohjaus("answers", "remove", "aukiolo", "--language", "fi")
    assert removed.exit_code == 0, removed.output
    assert removed.stdout.strip() == "Canned answer aukiolo (fi) removed."
    assert [(a.key, a.language) for a in load_answers(engine)] == [("aukiolo", "sv")]
    assert actions(engine) == ["answers.add", "answers.add", "answers.update", "answers.remove"]


def test_the_text_may_come_from_a_file(ohjaus: Invoke, engine: Engine, tmp_path: Path) -> None:
    file = tmp_path / "kiitos.txt"
    file.write_text("Kiitos yhteydenotosta!\nTerveisin {operator}\n", encoding="utf-8")
    result = ohjaus("answers", "add", "kiitos", "-l", "fi", "--file", str(file))
    assert result.exit_code == 0, result.output
    (answer,) = load_answers(engine)
    assert answer.text == "Kiitos yhteydenotosta! Terveisin {operator}"


def test_finnish_output_by_default(ohjaus: Invoke) -> None:
    result = ohjaus("answers", "add", "kiitos", "-l", "fi", "--text", "Kiitos!", language="fi")
    assert result.stdout.strip() == "Vakiovastaus kiitos (fi) lisätty."
    assert ohjaus("answers", "list", language="sv").stdout.split()[:3] == [
        "Nyckel",
        "Språk",
        "Text",
    ]


def test_an_empty_list_says_so(ohjaus: Invoke) -> None:
    result = ohjaus("answers", "list")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "There are no canned answers."
    assert json.loads(ohjaus("answers", "list", "-f", "json").stdout) == []


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["add", "x", "-l", "de", "--text", "a"], "There is no language de: give fi, sv, en."),
        (["add", "x", "-l", "fi", "--text", "  "], "The answer's text is empty."),
        (
            ["add", "x", "-l", "fi", "--text", f"Tunnus {HETU}"],
            "The answer seems to contain a personal identity code: it is not stored.",
        ),
        (
            ["add", "x", "-l", "fi", "--text", "Hei {nimi}"],
            "Unknown placeholder {nimi}: the known ones are {next_opening}, {operator}, {today}.",
        ),
        (["add", "x", "-l", "fi"], "Give the answer's text with one of --text or --file."),
        (
            ["add", "x", "-l", "fi", "--text", "a", "--file", "a.txt"],
            "Give the answer's text with one of --text or --file.",
        ),
        (["add", "x y", "-l", "fi", "--text", "a"], "The key x y will not do"),
        (["remove", "x", "-l", "fi"], "There is no canned answer x (fi)."),
        (["list", "-l", "ru"], "There is no language ru: give fi, sv, en."),
    ],
)
def test_bad_input_is_one_line_and_exit_code_2(
    ohjaus: Invoke, engine: Engine, args: list[str], said: str
) -> None:
    result = ohjaus("answers", *args)
    assert result.exit_code == 2, result.output
    assert said in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert HETU not in result.output
    assert load_answers(engine) == []


def test_a_folder_or_a_missing_file_is_refused(ohjaus: Invoke, tmp_path: Path) -> None:
    folder = ohjaus("answers", "add", "x", "-l", "fi", "--file", str(tmp_path))
    assert folder.exit_code == 2 and "is a folder: give a text file" in folder.stderr
    missing = ohjaus("answers", "add", "x", "-l", "fi", "--file", str(tmp_path / "no.txt"))
    assert missing.exit_code == 2 and "no such file" in missing.stderr


def test_an_operator_may_list_but_not_add(ohjaus: Invoke, engine: Engine) -> None:
    add_operator(engine, "Anna", role=Role.OPERATOR, pin="2580", actor=Actor("t", role=Role.ADMIN))
    ohjaus("answers", "add", "kiitos", "-l", "fi", "--text", "Kiitos!")
    listed = ohjaus("--as", "Anna", "answers", "list", input="2580\n")
    assert listed.exit_code == 0, listed.output
    assert "Kiitos!" in listed.stdout
    refused = ohjaus(
        "--as", "Anna", "answers", "add", "hei", "-l", "fi", "--text", "Hei", input="2580\n"
    )
    assert refused.exit_code == 1
    assert "changing the canned answers needs the admin role" in refused.stderr
