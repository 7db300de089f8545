"""``ohjaus db``: schema upgrades, the state of the database, moving a desk."""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from ohjaus_tui.cli.common import (
    OutputFormat,
    cli_context,
    console,
    print_json,
    progress_bar,
)
from ohjaus_tui.domain.codes import Role
from ohjaus_tui.services.backup import backup_desk, restore_desk
from ohjaus_tui.services.copy import CopyResult, copy_desk
from ohjaus_tui.services.database import database_status, upgrade_desk
from ohjaus_tui.words import N_, Texts

app = typer.Typer(help="The desk's database: upgrade, status, copy.", no_args_is_help=True)


@app.command()
def upgrade(ctx: typer.Context) -> None:
    """Migrate the database to the newest schema (creating it if it does not exist)."""
    context = cli_context(ctx)
    texts = context.texts
    result = upgrade_desk(context.database_url)
    if result.before == result.after:
        console.print(texts("cli.db.schema_is_current", revision=result.after))
    elif not result.before:
        console.print(texts("cli.db.schema_created", after=result.after))
    else:
        console.print(texts("cli.db.schema_upgraded", before=result.before, after=result.after))


@app.command()
def status(
    ctx: typer.Context,
    output: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="table or json")
    ] = OutputFormat.TABLE,
) -> None:
    """Print the database URL, schema revision and row counts."""
    context = cli_context(ctx)
    texts = context.texts
    state = database_status(context.engine)
    if output is OutputFormat.JSON:
        print_json(
            {
                "url": state.url,
                "backend": state.backend,
                "revision": state.revision,
                "head": state.head,
                "counts": state.counts,
            }
        )
        return
    if output is OutputFormat.CSV:
        _print_csv(("table", "rows"), state.counts.items())
        return
    if state.is_current:
        schema = texts("cli.db.current", revision=state.revision)
    else:
        schema = texts("cli.db.behind", revision=state.revision, head=state.head)
    _print_facts([(texts("cli.db.database"), state.url), (texts("cli.db.schema"), schema)])
    table = Table(texts("cli.db.table"), texts("cli.db.rows"), box=None, pad_edge=False)
    for name, count in state.counts.items():
        table.add_row(name, str(count))
    console.print(table)


@app.command()
def copy(
    ctx: typer.Context,
    to: Annotated[
        str,
        typer.Option(
            "--to",
            metavar="PATH_OR_URL",
            help="the new, empty database: a SQLite file or a postgresql+psycopg:// URL",
            show_default=False,
        ),
    ],
    output: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="table, json or csv")
    ] = OutputFormat.TABLE,
) -> None:
    """Copy the whole desk (the --db database) into an empty database, e.g. to PostgreSQL.

    The target gets the same schema and every row with its id, in one
    transaction that commits only when every table's row count matches.
    """
    context = cli_context(ctx)
    actor = context.require(Role.ADMIN, N_("action.copy"))
    with progress_bar(one_bar=True) as progress:
        result = copy_desk(context.database_url, to, actor=actor, progress=progress)
    _print_copy(result, output, context.texts)


def _print_csv(columns: tuple[str, ...], rows: Iterable[tuple[object, ...]]) -> None:
    """CSV on stdout: its column names are data for a program, in no language."""
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)


def _print_facts(facts: list[tuple[str, str]]) -> None:
    """Labelled lines, their values aligned after the longest label in the language."""
    width = max(len(label) for label, _ in facts) + 2
    for label, value in facts:
        line = Text.assemble((label, "bold"), " " * (width - len(label)), value)
        console.print(line, highlight=False, soft_wrap=True)


def _print_copy(result: CopyResult, output: OutputFormat, texts: Texts) -> None:
    if output is OutputFormat.JSON:
        print_json(
            {
                "source": result.source,
                "target": result.target,
                "revision": result.revision,
                "tables": [
                    {"table": t.table, "source_rows": t.source_rows, "copied_rows": t.copied_rows}
                    for t in result.tables
                ],
            }
        )
        return
    if output is OutputFormat.CSV:
        _print_csv(
            ("table", "source_rows", "copied_rows"),
            ((entry.table, entry.source_rows, entry.copied_rows) for entry in result.tables),
        )
        return
    table = Table(
        texts("cli.db.table"),
        texts("cli.db.source_rows"),
        texts("cli.db.copied_rows"),
        box=None,
        pad_edge=False,
    )
    for entry in result.tables:
        table.add_row(entry.table, str(entry.source_rows), str(entry.copied_rows))
    total = sum(entry.source_rows for entry in result.tables)
    table.add_section()
    table.add_row(texts("cli.db.total"), str(total), str(result.rows))
    for column in table.columns[1:]:
        column.justify = "right"
    _print_facts(
        [
            (texts("cli.db.from"), result.source),
            (texts("cli.db.to"), result.target),
            (texts("cli.db.schema"), str(result.revision)),
        ]
    )
    console.print(table)
    console.print(texts.plural("cli.db.copied", result.rows), highlight=False)


# --- backup and restore (SQLite) -------------------------------------------------------


@app.command()
def backup(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(metavar="PATH", help="the backup file to write")],
    force: Annotated[bool, typer.Option("--force", help="replace an existing file")] = False,
    output: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="table, json or csv")
    ] = OutputFormat.TABLE,
) -> None:
    """Back up the SQLite database to PATH while the desk keeps working.

    A consistent copy of one instant (SQLite's online backup), readable by its
    owner only (0600), checked (integrity and schema revision) before it is put
    in place; an existing file is replaced only with --force. Recorded in the
    audit trail. For PostgreSQL use pg_dump.
    """
    context = cli_context(ctx)
    result = backup_desk(context.database_url, path, identify=lambda: context.actor, force=force)
    facts = {
        "source": str(result.source),
        "backup": str(result.target),
        "bytes": result.bytes,
        "revision": result.revision,
    }
    texts = context.texts
    line = texts(
        "cli.db.backed_up",
        source=result.source,
        target=result.target,
        size=_size(result.bytes, texts),
        revision=result.revision,
    )
    _print_counts(result.counts, output, facts, line, texts)


@app.command()
def restore(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(metavar="PATH", help="a file made by `db backup`")],
    force: Annotated[
        bool, typer.Option("--force", help="replace a database that holds rows")
    ] = False,
    output: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="table, json or csv")
    ] = OutputFormat.TABLE,
) -> None:
    """Replace the SQLite database with the backup PATH (stop the workstations first).

    Refuses a file that is not an ohjaus database, or one of a newer schema, and
    a database that holds rows unless --force; upgrades a backup of an older
    schema. Recorded in the restored audit trail. For PostgreSQL use pg_restore.
    """
    context = cli_context(ctx)
    result = restore_desk(context.database_url, path, identify=lambda: context.actor, force=force)
    facts = {
        "backup": str(result.source),
        "database": str(result.target),
        "revision": result.revision,
        "replaced_rows": result.replaced_rows,
    }
    texts = context.texts
    line = texts(
        "cli.db.restored", target=result.target, source=result.source, revision=result.revision
    )
    _print_counts(result.counts, output, facts, line, texts)


def _size(size: int, texts: Texts) -> str:
    """A file's size; from a kilobyte on, in kB, MB or GB with one decimal."""
    if size < 1000:
        return texts.plural("cli.db.bytes", size)
    scaled = size / 1000
    for unit in ("kB", "MB"):
        if scaled < 1000:
            return f"{scaled:.1f} {unit}"
        scaled /= 1000
    return f"{scaled:.1f} GB"


def _print_counts(
    counts: dict[str, int], output: OutputFormat, facts: dict[str, Any], line: str, texts: Texts
) -> None:
    if output is OutputFormat.JSON:
        print_json({**facts, "counts": counts})
        return
    if output is OutputFormat.CSV:
        _print_csv(("table", "rows"), counts.items())
        return
    console.print(line, highlight=False, soft_wrap=True)
    table = Table(texts("cli.db.table"), texts("cli.db.rows"), box=None, pad_edge=False)
    for name, rows in counts.items():
        table.add_row(name, str(rows))
    table.columns[1].justify = "right"
    console.print(table)
