"""The documents are checked, so that they cannot drift from the program.

* Every example marked runnable (a fenced block whose info string is ``sh runnable``)
  runs: the commands of a document, in order, on one new demo desk of its own,
  in-process, every prompt answered with the demo PIN. A command that exits
  non-zero fails the test, naming the document, the line and the output.
* Every ``ohjaus ...`` command a document names exists, with every option it
  names, and its ``--help`` works.
* Every relative link (and its ``#anchor``), every repository path in a code span,
  every ``make`` target and every ``OHJAUS_*`` variable a document names exists;
  no document links outside the repository.
* ``docs/codes.md`` lists every code of ``data/codelists.toml`` with its labels.

docs/development.md describes the convention.
"""

from __future__ import annotations

import re
import shlex
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from ohjaus_tui.cli.app import app
from ohjaus_tui.services.demo import DEMO_PIN
from ohjaus_tui.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = (ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")))
RUNNABLE = "sh runnable"
"""The info string of a fenced block whose commands the suite runs."""
PROGRAM = ("ohjaus", ".venv/bin/ohjaus")
"""How a document writes the command: activated, or from the virtual environment."""
GLOBAL_OPTIONS = frozenset({"--db", "--lang", "--as"})
"""The options before the command, each with a value."""
MADE_BY_RUNS = frozenset({"tests/artifacts/", "bench/results.json"})
"""Paths a document may name that a run makes (git-ignored): not in a fresh clone."""
NOT_COMMANDS = frozenset({"json", "sql", "toml", "csv"})
"""Languages of fenced blocks whose lines are not commands."""


def relative(path: Path) -> str:
    return str(path.relative_to(ROOT))


@dataclass(frozen=True)
class Block:
    """A fenced block: its info string, and its lines with their line numbers."""

    info: str
    lines: tuple[tuple[int, str], ...]


@cache
def blocks(path: Path) -> tuple[Block, ...]:
    found: list[Block] = []
    fence: str | None = None
    info = ""
    lines: list[tuple[int, str]] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if fence is None:
            opening = re.match(r"^\s*(```+|~~~+)\s*(.*)$", line)
            if opening:
                fence, info, lines = opening.group(1), opening.group(2).strip(), []
        elif line.strip() == fence:
            found.append(Block(info, tuple(lines)))
            fence = None
        else:
            lines.append((number, line))
    assert fence is None, f"{relative(path)}: a fenced block is not closed"
    return tuple(found)


def prose(path: Path) -> Iterator[tuple[int, str]]:
    """The lines outside fenced blocks, with their numbers."""
    inside = {number for block in blocks(path) for number, _ in block.lines}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if number not in inside and not re.match(r"^\s*(```|~~~)", line):
            yield number, line


def code_spans(path: Path) -> Iterator[tuple[int, str]]:
    """Inline code outside fenced blocks (a span may not cross a line here)."""
    for number, line in prose(path):
        for span in re.findall(r"`([^`]+)`", line):
            yield number, span


@dataclass(frozen=True)
class Command:
    """An ``ohjaus`` command written in a document: where, as written, and its words."""

    path: Path
    line: int
    text: str
    words: tuple[str, ...]
    """What follows the program's name."""

    @property
    def where(self) -> str:
        return f"{relative(self.path)}:{self.line}"


def command_lines(block: Block) -> Iterator[tuple[int, str]]:
    """The block's lines, a line ending with a backslash joined to the next."""
    pending: tuple[int, str] | None = None
    for number, line in block.lines:
        if pending is not None:
            number, line = pending[0], pending[1] + " " + line.strip()
        if line.rstrip().endswith("\\"):
            pending = (number, line.rstrip()[:-1])
            continue
        pending = None
        yield number, line.strip()
    if pending is not None:
        yield pending


def as_command(path: Path, number: int, text: str) -> Command | None:
    """The command of a line that runs the program, else None."""
    try:
        words = shlex.split(text, comments=True)
    except ValueError:
        words = text.split()
    while words and re.fullmatch(r"[A-Z_]+=\S*", words[0]):  # VAR=value before it
        words = words[1:]
    if not words or words[0] not in PROGRAM:
        return None
    return Command(path, number, text, tuple(words[1:]))


def written_commands(path: Path) -> Iterator[Command]:
    """Every command a document writes: in its blocks of commands and its code spans."""
    for block in blocks(path):
        if block.info.split(" ")[0] in NOT_COMMANDS:
            continue
        for number, text in command_lines(block):
            command = as_command(path, number, text)
            if command is not None:
                yield command
    for number, span in code_spans(path):
        command = as_command(path, number, span)
        if command is not None:
            yield command


def runnable_commands(path: Path) -> list[Command]:
    """The commands of the document's runnable blocks, in order.

    Such a block holds commands alone (and comments): no pipes, redirections or
    other shell, so that each can run in-process.
    """
    found: list[Command] = []
    for block in blocks(path):
        if block.info != RUNNABLE:
            continue
        for number, text in command_lines(block):
            if not text or text.startswith("#"):
                continue
            command = as_command(path, number, text)
            assert command is not None, f"{relative(path)}:{number}: not an ohjaus command: {text}"
            shell = [w for w in command.words if re.search(r"^[|<>;&]|^\$|`", w)]
            assert not shell, f"{command.where}: shell in a runnable example: {shell}"
            found.append(command)
    return found


# --- runnable examples ------------------------------------------------------------------


def documents_with_examples() -> list[Path]:
    return [path for path in DOCUMENTS if runnable_commands(path)]


def test_the_documents_have_runnable_examples() -> None:
    named = {relative(path) for path in documents_with_examples()}
    assert {"README.md", "docs/admin.md", "docs/lead.md", "docs/integration.md"} <= named


def desk_arguments(command: Command, db_url: str) -> list[str]:
    """The command's words with the test's desk as its database (a ``--db`` it
    names is the reader's desk, replaced)."""
    words = list(command.words)
    arguments: list[str] = ["--db", db_url]
    while words and words[0] in GLOBAL_OPTIONS:
        option, value = words[0], words[1]
        words = words[2:]
        if option != "--db":
            arguments += [option, value]
    return arguments + words


@pytest.mark.sqlite_only  # db backup and restore are SQLite's; the commands are the same
@pytest.mark.parametrize("path", documents_with_examples(), ids=relative)
def test_runnable_examples_run_on_a_demo_desk(
    path: Path, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The document's commands, in order, on a new demo desk: the OS account running
    the tests is its Admin, and every prompt (a PIN) is answered with the demo PIN."""
    work = tmp_path / "work"
    work.mkdir()
    for name in ("data", "docs"):  # the repository's files, by the paths the documents use
        (work / name).symlink_to(ROOT / name)
    monkeypatch.chdir(work)
    runner = CliRunner()
    env = {"OHJAUS_LANGUAGE": "en", "COLUMNS": "100"}
    answers = f"{DEMO_PIN}\n" * 4
    prepared = runner.invoke(app, ["--db", db_url, "demo"], env=env)
    assert prepared.exit_code == 0, prepared.output
    for command in runnable_commands(path):
        result = runner.invoke(app, desk_arguments(command, db_url), input=answers, env=env)
        if result.exit_code != 0:
            raised = "" if isinstance(result.exception, SystemExit) else repr(result.exception)
            pytest.fail(
                f"{command.where}: `{command.text}` exited {result.exit_code}:\n"
                f"{result.output}{raised}",
                pytrace=False,
            )


# --- commands and options ---------------------------------------------------------------


@cache
def root_command() -> Any:  # typer vendors click; its Command is private
    return typer.main.get_command(app)


def options_of(command: Any) -> set[str]:
    return {name for param in command.params for name in (*param.opts, *param.secondary_opts)}


def resolve(command: Command) -> tuple[tuple[str, ...], set[str], list[str]]:
    """The command's path of names (``("hours", "set")``), the options it takes, and
    what is wrong with the way the document writes it."""
    words = list(command.words)
    problems: list[str] = []
    while words and words[0].lstrip("[") in GLOBAL_OPTIONS:
        words = words[2:]
    current = root_command()
    names: list[str] = []
    while words and hasattr(current, "commands") and re.fullmatch(r"[a-z][a-z-]*", words[0]):
        if words[0] not in current.list_commands(None):
            problems.append(f"no command {' '.join(['ohjaus', *names, words[0]])!r}")
            break
        names.append(words.pop(0))
        current = current.commands[names[-1]]
    options = options_of(current) | {"--help", "-h"}
    for word in words:
        for option in re.findall(r"(?<![\w-])(--?[a-zA-Z][\w-]*)", word):
            if option not in options:
                problems.append(f"{' '.join(['ohjaus', *names])} has no option {option}")
    return tuple(names), options, problems


def test_every_command_a_document_names_exists_with_its_options() -> None:
    problems = [
        f"{command.where}: {problem} (`{command.text}`)"
        for path in DOCUMENTS
        for command in written_commands(path)
        for problem in resolve(command)[2]
    ]
    assert not problems, "\n".join(problems)


def test_the_help_of_every_command_a_document_names_works() -> None:
    paths = sorted({resolve(c)[0] for path in DOCUMENTS for c in written_commands(path)})
    assert len(paths) > 30, paths  # the documents name the commands
    runner = CliRunner()
    for names in paths:
        result = runner.invoke(app, [*names, "--help"], env={"COLUMNS": "100"})
        assert result.exit_code == 0, f"ohjaus {' '.join(names)} --help: {result.output}"
        assert "Usage: ohjaus" in result.output


# --- links, paths, targets, settings ------------------------------------------------------


def slug(heading: str) -> str:
    """A heading's anchor as GitHub makes it."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


@cache
def anchors(path: Path) -> frozenset[str]:
    return frozenset(
        slug(match.group(1))
        for _number, line in prose(path)
        if (match := re.match(r"^#{1,6}\s+(.*)$", line))
    )


def test_the_slug_of_a_heading_is_githubs() -> None:
    assert slug("Backups of PostgreSQL") == "backups-of-postgresql"
    assert slug("Reason (`reason`)") == "reason-reason"
    assert slug("The `ohjaus intake` lines") == "the-ohjaus-intake-lines"


def test_every_link_of_a_document_leads_to_a_file_and_heading_of_the_repository() -> None:
    problems: list[str] = []
    for path in DOCUMENTS:
        for number, line in prose(path):
            for target in re.findall(r"\]\(([^)\s]+)\)", line):
                where = f"{relative(path)}:{number}: {target}"
                if re.match(r"^[a-z][a-z0-9+.-]*:", target):
                    problems.append(f"{where}: a link out of the repository")
                    continue
                file, _, anchor = target.partition("#")
                linked = (path.parent / file).resolve() if file else path
                if not linked.exists() or ROOT not in (linked, *linked.parents):
                    problems.append(f"{where}: no such file")
                elif anchor and (linked.suffix != ".md" or anchor not in anchors(linked)):
                    problems.append(f"{where}: no such heading")
    assert not problems, "\n".join(problems)


def repository_path(span: str) -> str | None:
    """The repository path a code span names (``src/...``, ``docs/x.md``), else None."""
    first = span.split("/")[0]
    if not first:  # a URL's path (/message/<token>), not a file of the repository
        return None
    if " " in span or "/" not in span or first.startswith(".") or not (ROOT / first).is_dir():
        return None
    return span


def test_every_repository_path_a_document_names_exists() -> None:
    problems = []
    for path in DOCUMENTS:
        for number, span in code_spans(path):
            named = repository_path(span)
            if named is None or named in MADE_BY_RUNS:
                continue
            pattern = re.sub(r"<[^>]+>", "*", named.rstrip("/"))
            if not any(ROOT.glob(pattern)):
                problems.append(f"{relative(path)}:{number}: no {named} in the repository")
    assert not problems, "\n".join(problems)


def test_every_make_target_a_document_names_is_in_the_makefile() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z][\w-]*):", makefile, flags=re.MULTILINE))
    named = {
        (relative(path), target)
        for path in DOCUMENTS
        for _number, line in [*prose(path), *(x for b in blocks(path) for x in b.lines)]
        for target in re.findall(r"(?:^|`)\s*make ([a-z][\w-]*)", line)
    }
    assert named, "the documents name make targets"
    assert {(doc, target) for doc, target in named if target not in targets} == set()


def test_every_setting_and_variable_a_document_names_exists() -> None:
    settings = set(Settings.model_fields)
    source = "\n".join(
        file.read_text(encoding="utf-8")
        for folder in ("src", "tests", "bench")
        for file in (ROOT / folder).rglob("*.py")
    )
    problems = []
    for path in DOCUMENTS:
        text = path.read_text(encoding="utf-8")
        for variable in set(re.findall(r"\bOHJAUS_[A-Z_]+\b", text)):
            field = variable.removeprefix("OHJAUS_").lower()
            if field not in settings and variable not in source:
                problems.append(f"{relative(path)}: no variable {variable}")
        for row in re.findall(r"^\| `([a-z_]+)` \| `OHJAUS_", text, flags=re.MULTILINE):
            if row not in settings:
                problems.append(f"{relative(path)}: no setting {row}")
    assert not problems, "\n".join(problems)


# --- the code lists ---------------------------------------------------------------------


def test_the_code_lists_document_lists_every_code_with_its_labels() -> None:
    lists = tomllib.loads((ROOT / "data" / "codelists.toml").read_text(encoding="utf-8"))
    document = ROOT / "docs" / "codes.md"
    sections: dict[str, list[list[str]]] = {}
    current: list[list[str]] | None = None
    for _number, line in prose(document):
        heading = re.match(r"^#{1,6} .*\(`([a-z_]+)`\)\s*$", line)
        if heading:
            current = sections.setdefault(heading.group(1), [])
        elif line.startswith("| `") and current is not None:
            current.append([cell.strip() for cell in line.strip().strip("|").split("|")])
        elif line.startswith("#"):
            current = None
    assert set(sections) == set(lists), "a section for each list of data/codelists.toml"
    for name, entries in lists.items():
        rows = sections[name]
        assert [row[0] for row in rows] == [f"`{entry['code']}`" for entry in entries], name
        for row, entry in zip(rows, entries, strict=True):
            labels = [f"`{entry['group']}`"] if "group" in entry else []
            labels += [entry["fi"], entry["sv"], entry["en"]]
            assert row[1 : 1 + len(labels)] == labels, (name, entry["code"])
            assert row[1 + len(labels)], f"{name} {entry['code']}: a meaning"
