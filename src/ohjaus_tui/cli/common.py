"""What every command shares: settings, the database, consoles, output formats.

The workstation's first frame goes through here (the settings), so the database and
the services are imported where a command first needs them, not by this module.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TextIO

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.segment import Segment

from ohjaus_tui.domain.codes import Role
from ohjaus_tui.domain.privacy import mask_henkilotunnus
from ohjaus_tui.errors import BadInput, OhjausError, StorageFault
from ohjaus_tui.services.actor import Actor, os_user_name
from ohjaus_tui.services.progress import ProgressReport
from ohjaus_tui.settings import Settings
from ohjaus_tui.words import FALLBACK, N_, Texts, languages
from ohjaus_tui.words.errors import (
    COMMAND_LINE_MESSAGES,
    COMMAND_LINE_REASONS,
    describe,
    reason_in,
)

if TYPE_CHECKING:
    from rich.progress import TaskID
    from sqlalchemy import Engine


class MaskingConsole(Console):
    """A console that prints no personal identity code: what a command prints may
    quote what it was given (a path, a name) or what is stored (an old audit row)."""

    def _render_buffer(self, buffer: Iterable[Segment]) -> str:
        return mask_henkilotunnus(super()._render_buffer(buffer))


console = MaskingConsole()
err_console = MaskingConsole(stderr=True)


Excel = Annotated[
    bool,
    typer.Option(
        "--excel",
        help="CSV for a spreadsheet in Finland: semicolons, decimal commas, UTF-8 with BOM",
    ),
]
"""``--excel``: a CSV that opens right in a Finnish spreadsheet."""
OutputFile = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="write to this file [default: standard output]"),
]
"""``--output FILE``: where a command writes, standard output when not given."""


class OutputFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"


class ListFormat(StrEnum):
    """``--format`` of a listing that has no CSV form."""

    TABLE = "table"
    JSON = "json"


MINUTE = "%Y-%m-%d %H:%M"
"""How a listing shows an instant (in the desk's time)."""


def load_settings(**overrides: Any) -> Settings:
    """Settings from file and environment with command-line overrides, or BadInput."""
    try:
        return Settings().with_overrides(**overrides)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "settings"
        said = str(first["msg"]).removeprefix("Value error, ")
        raise BadInput(code="settings.bad", where=where, said=said) from exc


@dataclass
class CliContext:
    """Carried in ``typer.Context.obj``; opens the database and identifies on first use."""

    settings: Settings
    as_name: str | None = None
    """``--as NAME``: act as this person, after their PIN."""
    _engine: Engine | None = field(default=None, repr=False)
    _actor: Actor | None = field(default=None, repr=False)

    @property
    def database_url(self) -> str:
        return self.settings.resolved_database_url

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            from ohjaus_tui.services.database import open_desk

            self._engine = open_desk(self.database_url)
        return self._engine

    @property
    def actor(self) -> Actor:
        """Who runs this command: ``--as NAME`` and a PIN, else the OS account's person."""
        if self._actor is None:
            from ohjaus_tui.services.operators import authenticate, os_actor

            if self.as_name is not None:
                operator = authenticate(
                    self.engine, self.as_name, read_pin(self.as_name, self.texts)
                )
                self._actor = Actor.of(operator)
            else:
                self._actor = os_actor(self.engine, os_user_name())
        return self._actor

    @property
    def texts(self) -> Texts:
        """The words of the command's output, in the desk's language (``--lang``)."""
        return Texts(self.settings.language)

    def require(self, role: Role, what: str) -> Actor:
        """The actor, if their role allows ``what``; NotAllowed otherwise."""
        actor = self.actor
        actor.require(role, what)
        return actor

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None


def cli_texts(ctx: typer.Context | None) -> Texts:
    """The command line's words: in the language its settings name, or before they are
    read (a bad setting), in ``$OHJAUS_LANGUAGE`` where a catalogue speaks it, else Finnish."""
    obj = ctx.find_root().obj if ctx is not None else None
    if isinstance(obj, CliContext):
        return obj.texts
    wanted = os.environ.get("OHJAUS_LANGUAGE", "").strip().lower()
    return Texts(wanted if wanted in languages() else FALLBACK)


def error_line(ctx: typer.Context | None, error: OhjausError) -> str:
    """``error`` as the command line says it: worded in its language by the error's code
    (a channel by its code), or its own message where it has no code."""
    texts = cli_texts(ctx)
    line = describe(error, texts.language, lambda _list, code: code, wordings=COMMAND_LINE_MESSAGES)
    if isinstance(error, StorageFault):
        stopped = error.params.get("stopped_at_line")
        if stopped is None:
            line += " " + texts("cli.nothing_changed")
        else:  # an intake that stored the lines before the failing one
            stored = error.params.get("stored_lines", 0)
            line += " " + texts("cli.stopped_at_line", line=stopped, stored=stored)
    return line


LINE_PLACES = {"header": N_("cli.import.header"), "row": N_("cli.import.row")}
"""Where in a line of a file a reason is, when not in a column: the message id of its word."""


def line_reason(texts: Texts, line: int, column: str, reason: str) -> str:
    """Why line ``line`` of an imported file is refused, as the command line prints it:
    ``line 7, channel: ...`` in ``texts``' language (a column by its name in the file)."""
    place = texts(LINE_PLACES[column]) if column in LINE_PLACES else column
    said = reason_in(reason, texts, wordings=COMMAND_LINE_REASONS)
    return texts("cli.import.line", line=line, column=place, reason=said)


def read_pin(name: str, texts: Texts) -> str:
    """``--as NAME``'s PIN: typed without echo, or the first line of piped input."""
    return read_secret(
        texts("cli.common.pin_prompt", name=name),
        missing=BadInput(code="pin.not_given_as", name=name),
    )


def read_secret(prompt: str, *, missing: BadInput, confirm: str | None = None) -> str:
    """A secret typed twice (``confirm``: the prompt to type it again) or once without echo
    on a terminal, or read as lines of standard input when it is piped; ``missing`` raised
    when there is none."""
    if not sys.stdin.isatty():  # bytes, line by line: what follows stays for the command
        lines = [
            sys.stdin.buffer.readline().decode("utf-8", "replace")
            for _ in range(2 if confirm else 1)
        ]
        if not all(lines):
            raise missing
        if confirm and lines[0].strip() != lines[1].strip():
            raise BadInput(code="pin.mismatch")
        return lines[0].strip()
    try:
        secret: str = typer.prompt(
            prompt, hide_input=True, confirmation_prompt=confirm or False, err=True
        )
    except (EOFError, typer.Abort):
        raise missing from None
    return secret.strip()


def cli_context(ctx: typer.Context) -> CliContext:
    obj = ctx.find_root().obj
    assert isinstance(obj, CliContext), "the root callback sets the context"
    return obj


@contextmanager
def progress_bar(*, min_total: int = 0, one_bar: bool = False) -> Iterator[ProgressReport | None]:
    """A Rich progress bar on stderr for long work, or None when not on a terminal.

    Each step (a phase, a table) gets its own bar, or with ``one_bar`` the
    single bar is relabelled; work of ``min_total`` items or fewer shows none.
    """
    if not err_console.is_terminal:
        yield None
        return
    from rich.progress import (  # only long work shows one: not loaded for every command
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    with Progress(
        TextColumn("{task.description:<16}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    ) as bar:
        tasks: dict[str, TaskID] = {}

        def report(step: str, done: int, total: int) -> None:
            if total <= min_total:
                return
            key = "" if one_bar else step
            if key not in tasks:
                tasks[key] = bar.add_task(step, total=total)
            bar.update(tasks[key], description=step, completed=done, total=total)

        yield report


def print_json(data: Any) -> None:
    """JSON on stdout, UTF-8, stable key order as given; no identity code in it."""
    typer.echo(mask_henkilotunnus(json.dumps(data, ensure_ascii=False, indent=2, default=str)))


def check_output(path: Path | None) -> None:
    """Before any work is done (or audited): ``--output`` names a file in a folder
    that exists. One line otherwise."""
    if path is None:
        return
    if path.is_dir():
        raise BadInput(code="cli.common.output_is_folder", path=str(path))
    if not path.parent.is_dir():
        raise BadInput(code="cli.common.output_no_folder", path=str(path), folder=str(path.parent))


@contextmanager
def output_file(path: Path) -> Iterator[TextIO]:
    """``path`` opened for writing text, readable by its owner only (0600, as the
    database is): an export holds what operators wrote. A failure is one line (the
    commands call :func:`check_output` before their work, for the clearer words)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.fchmod(fd, 0o600)  # a file that was there before, too
    except OSError as exc:
        raise BadInput(
            code="cli.common.output_unwritable", path=str(path), said=exc.strerror
        ) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as stream:
            yield stream
    except OSError as exc:  # the disk filled up, say
        raise OhjausError(
            code="cli.common.write_failed", path=str(path), said=exc.strerror
        ) from None


def write_text(body: str, output: Path | None) -> None:
    """``body`` to ``output`` (see :func:`output_file`), or to standard output."""
    if output is None:
        sys.stdout.write(body)
        sys.stdout.flush()
        return
    with output_file(output) as stream:
        stream.write(body)
