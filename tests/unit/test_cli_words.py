"""The command line speaks the desk's language: its errors and its lines come from
the catalogues (``ohjaus_tui.words``), not from English written into the code.

Two checks read the source: every error a service or command raises carries a
code (which the catalogues word), and no command prints a text of its own. The
others run commands in Finnish and Swedish.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

import ohjaus_tui
from ohjaus_tui import errors
from ohjaus_tui.cli.app import app
from ohjaus_tui.errors import BadInput, OhjausError, StorageFault
from ohjaus_tui.words.errors import COMMAND_LINE_MESSAGES, in_english

SOURCE = Path(ohjaus_tui.__file__).parent

WORDS = re.compile(r"[A-Za-zÅÄÖåäö]{2,}")
MARKUP = re.compile(r"\[/?[a-z #0-9]*\]")


def _subclasses(cls: type[Exception]) -> set[str]:
    found: set[str] = {cls.__name__}
    for sub in cls.__subclasses__():
        found |= _subclasses(sub)
    return found


def _error_names() -> set[str]:
    # importing the modules that define errors of their own makes their classes known
    for path in SOURCE.rglob("*.py"):
        parts = path.relative_to(SOURCE).with_suffix("").parts
        if parts[0] in ("services", "cli") and "__init__" not in parts:
            __import__(".".join(("ohjaus_tui", *parts)))
    return _subclasses(errors.OhjausError) - {StorageFault.__name__}


def _files(*folders: str) -> list[Path]:
    paths = [SOURCE / name for name in ("errors.py", "settings.py")] if not folders else []
    for folder in folders or ("services", "cli", "db", "domain"):
        paths += sorted((SOURCE / folder).rglob("*.py"))
    return paths


def test_every_error_raised_outside_the_workstation_carries_a_code() -> None:
    names = _error_names()
    uncoded = []
    for path in _files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)):
                continue
            func = node.exc.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if name in names and not any(k.arg == "code" for k in node.exc.keywords):
                uncoded.append(f"{path.relative_to(SOURCE)}:{node.lineno} {name}")
    assert uncoded == []


def _own_words(node: ast.expr) -> str:
    """The words a text written into the code holds, markup and values left out."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        found = WORDS.findall(MARKUP.sub("", node.value))
        return " ".join(word for word in found if word != "ohjaus")  # the program's name
    if isinstance(node, ast.JoinedStr):
        return " ".join(_own_words(part) for part in node.values if isinstance(part, ast.Constant))
    return ""


PRINTING = {"print", "echo", "secho", "prompt", "confirm", "add_column", "add_row", "Table"}


def test_no_command_prints_words_of_its_own() -> None:
    own = []
    for path in _files("cli"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if name not in PRINTING:
                continue
            texts = [*node.args, *(k.value for k in node.keywords if k.arg in ("title", "text"))]
            for text in texts:
                if words := _own_words(text):
                    own.append(f"{path.relative_to(SOURCE)}:{node.lineno} {words!r}")
    assert own == []


def test_an_error_raised_by_its_code_says_its_english_wording() -> None:
    error = BadInput(code="storage.busy")
    assert str(error) == in_english(error) != ""
    assert error.code == "storage.busy"
    with pytest.raises(TypeError):
        OhjausError()
    assert "storage.busy" in COMMAND_LINE_MESSAGES


@pytest.mark.parametrize(
    ("language", "said"),
    [("fi", "ei sanoja kielellä"), ("sv", "inga ord på"), ("en", "no words in")],
)
def test_a_command_says_its_error_in_the_desks_language(
    language: str, said: str, db_url: str
) -> None:
    result = CliRunner().invoke(
        app, ["--db", db_url, "--lang", "de", "db", "status"], env={"OHJAUS_LANGUAGE": language}
    )
    assert result.exit_code == 2
    assert said in result.stderr.lower(), result.stderr
