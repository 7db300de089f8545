"""``ohjaus directory``: the service directory (palveluhakemisto)."""

from __future__ import annotations

import csv
import sys
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.measure import Measurement
from rich.table import Table

from ohjaus_tui.cli.common import (
    CliContext,
    OutputFormat,
    check_output,
    cli_context,
    console,
    err_console,
    line_reason,
    output_file,
    print_json,
    progress_bar,
)
from ohjaus_tui.domain.calendar import HELSINKI
from ohjaus_tui.domain.codes import Role
from ohjaus_tui.domain.directory import ServiceRecord
from ohjaus_tui.domain.phones import format_service_phone
from ohjaus_tui.errors import BadInput
from ohjaus_tui.services.directory import (
    DirectoryImportRejected,
    DirectorySearch,
    FileFormat,
    ImportResult,
    StoredService,
    export_directory,
    import_directory,
    list_services,
    write_directory,
)
from ohjaus_tui.words import N_, Texts
from ohjaus_tui.words.errors import COMMAND_LINE_REASONS, reason_in

if TYPE_CHECKING:
    from ohjaus_tui.domain.ptv import Problem
    from ohjaus_tui.services.ptv_import import PtvImportResult

app = typer.Typer(
    help="The service directory (palveluhakemisto): import, list, search, export.",
    no_args_is_help=True,
)

PROGRESS_FROM_ROWS = 500
"""Files with more rows than this show a progress bar (on a terminal)."""


class ImportFormat(StrEnum):
    CSV = "csv"
    JSON = "json"
    PTV = "ptv"


@app.command("import")
def import_file(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(
            help="CSV (UTF-8, header row) or JSON list; for --format ptv a folder of the "
            "catalogue's export or a JSON file of its documents",
            show_default=False,
        ),
    ],
    file_format: Annotated[
        ImportFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="csv, json, or ptv (the national service catalogue, API version 8 or 11) "
            "[default: by the file's name; a folder is ptv]",
            show_default=False,
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="check the file and count, write nothing")
    ] = False,
    deactivate_missing: Annotated[
        bool,
        typer.Option(
            "--deactivate-missing",
            help="take services that are not in the file out of use (of the same source: "
            "a ptv import retires only the catalogue's services)",
        ),
    ] = False,
    classes: Annotated[
        Path | None,
        typer.Option(
            "--classes",
            help="ptv: the mapping of service classes to segments [default: the shipped "
            "ptv_classes.toml]",
            show_default=False,
        ),
    ] = None,
    partial: Annotated[
        bool,
        typer.Option(
            "--partial",
            help="ptv: import the documents that can be read even when others cannot",
        ),
    ] = False,
) -> None:
    """Import services, matched by code (a PTV service by its PTV id); every error is listed
    and then nothing is written."""
    context = cli_context(ctx)
    chosen = file_format or (ImportFormat.PTV if file.is_dir() else None)
    if chosen is ImportFormat.PTV:
        _import_ptv(context, file, classes, partial, dry_run, deactivate_missing)
        return
    if classes is not None or partial:
        raise BadInput(code="directory.ptv_only")
    try:
        with progress_bar(min_total=PROGRESS_FROM_ROWS) as progress:
            result = import_directory(
                context.engine,
                file,
                actor=context.actor,
                dry_run=dry_run,
                deactivate_missing=deactivate_missing,
                progress=progress,
                file_format=FileFormat(chosen.value) if chosen is not None else None,
            )
    except DirectoryImportRejected as rejected:
        for error in rejected.errors:
            said = line_reason(context.texts, error.line, error.shown_column, error.message)
            err_console.print(said, highlight=False, markup=False, soft_wrap=True)
        raise
    summary = _summary(result, context.texts)
    console.print(summary, highlight=False, markup=False, soft_wrap=True)


def _import_ptv(
    context: CliContext,
    path: Path,
    classes: Path | None,
    partial: bool,
    dry_run: bool,
    deactivate_missing: bool,
) -> None:
    from ohjaus_tui.services.ptv_import import PtvImportRejected, import_ptv

    texts = context.texts
    try:
        with progress_bar(min_total=PROGRESS_FROM_ROWS) as progress:
            result = import_ptv(
                context.engine,
                path,
                actor=context.actor,
                classes=classes,
                partial=partial,
                dry_run=dry_run,
                deactivate_missing=deactivate_missing,
                progress=progress,
            )
    except PtvImportRejected as rejected:
        for problem in rejected.problems:
            _print_problem(texts, problem)
        raise
    for problem in result.problems:
        _print_problem(texts, problem, left_out=True)
    for note in result.notes:
        _print_problem(texts, note, note=True)
    for line in ptv_summary(result, texts):
        console.print(line, highlight=False, markup=False, soft_wrap=True)


def _print_problem(
    texts: Texts, problem: Problem, *, left_out: bool = False, note: bool = False
) -> None:
    said = reason_in(problem.message, texts, wordings=COMMAND_LINE_REASONS)
    place = f"{problem.where}, {problem.field}" if problem.field else problem.where
    message_id = (
        N_("cli.directory.ptv_note")
        if note
        else N_("cli.directory.ptv_left_out")
        if left_out
        else N_("cli.directory.ptv_problem")
    )
    err_console.print(
        texts(message_id, place=place, reason=said), highlight=False, markup=False, soft_wrap=True
    )


SKIP_REASONS = {
    "not_the_desks": N_("cli.directory.ptv_skip.not_the_desks"),
    "not_published": N_("cli.directory.ptv_skip.not_published"),
}
"""Why a PTV import skips a service (``ohjaus_tui.domain.ptv.Skip``): its wording."""


def ptv_summary(result: PtvImportResult, texts: Texts) -> list[str]:
    """What a PTV import did (or would do), line by line."""
    counts = _counts(result, texts)
    message_id = (
        N_("cli.directory.ptv_checked") if result.dry_run else N_("cli.directory.ptv_imported")
    )
    lines = [
        texts(
            message_id,
            path=result.path.name,
            documents=result.documents,
            services=result.services,
            imported=result.imported,
            counts=counts,
        )
    ]
    skipped = result.skipped
    if skipped:
        reasons = [texts(SKIP_REASONS[key], count=count) for key, count in skipped.items()]
        lines.append(
            texts(
                "cli.directory.ptv_skipped", count=sum(skipped.values()), reasons="; ".join(reasons)
            )
        )
        if result.skipped_classes:
            classes = ", ".join(
                f"{code} {count}" for code, count in list(result.skipped_classes.items())[:8]
            )
            lines.append(texts("cli.directory.ptv_skipped_classes", classes=classes))
    if result.missing_channels:
        lines.append(texts("cli.directory.ptv_missing_channels", count=result.missing_channels))
    if result.problems:
        lines.append(texts("cli.directory.ptv_left_out_count", count=len(result.problems)))
    return lines


def _reader(ctx: typer.Context) -> CliContext:
    """The context, for a person of the desk (any role may read the directory)."""
    context = cli_context(ctx)
    context.require(Role.OPERATOR, N_("action.read_directory"))
    return context


def _counts(result: ImportResult | PtvImportResult, texts: Texts) -> str:
    """What an import created, updated, left and took out of use."""
    changes = {
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "deactivated": result.deactivated,
    }
    if result.deactivated_in_use:
        return texts("cli.directory.counts_in_use", **changes, in_use=result.deactivated_in_use)
    return texts("cli.directory.counts", **changes)


def _summary(result: ImportResult, texts: Texts) -> str:
    counts = _counts(result, texts)
    if result.dry_run:
        return texts(
            "cli.directory.checked", file=result.path.name, rows=result.rows, counts=counts
        )
    return texts("cli.directory.imported", file=result.path.name, rows=result.rows, counts=counts)


@app.command("list")
def list_command(
    ctx: typer.Context,
    segment: Annotated[
        str | None, typer.Option("--segment", help="e.g. older_people", show_default=False)
    ] = None,
    provider: Annotated[
        str | None,
        typer.Option(
            "--provider", help="county, municipality, third_sector, kela, private, parish"
        ),
    ] = None,
    municipality: Annotated[
        str | None, typer.Option("--municipality", help="e.g. Kokkola", show_default=False)
    ] = None,
    include_inactive: Annotated[
        bool, typer.Option("--all", help="include services out of use")
    ] = False,
    output: Annotated[OutputFormat, typer.Option("--format", "-f")] = OutputFormat.TABLE,
) -> None:
    """List the services, by Finnish name."""
    context = _reader(ctx)
    services = list_services(
        context.engine,
        segment=segment,
        provider_type=provider,
        municipality=municipality,
        include_inactive=include_inactive,
    )
    _print_services(services, output, context.texts)


@app.command("search")
def search(
    ctx: typer.Context,
    text: Annotated[
        list[str],
        typer.Argument(metavar="TEXT", help="words to look for, e.g. kotihoito kannus"),
    ],
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="at most this many")] = 20,
    segment: Annotated[
        str | None, typer.Option("--segment", help="only this segment", show_default=False)
    ] = None,
    output: Annotated[OutputFormat, typer.Option("--format", "-f")] = OutputFormat.TABLE,
) -> None:
    """Search names (Finnish and Swedish), keywords, municipality; best matches first."""
    context = _reader(ctx)
    directory = DirectorySearch.load(context.engine)
    hits = directory.search(" ".join(text), limit=limit, segment=segment)
    services = [hit.service for hit in hits]
    _print_services(services, output, context.texts, ranks=[hit.rank for hit in hits])


@app.command("export")
def export(
    ctx: typer.Context,
    file_format: Annotated[FileFormat, typer.Option("--format", "-f")] = FileFormat.CSV,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="file to write [default: standard output]"),
    ] = None,
) -> None:
    """Write the services in use as a file that import reads back unchanged."""
    check_output(output)
    context = _reader(ctx)
    records = export_directory(context.engine)
    if output is None:
        write_directory(records, sys.stdout, file_format)
        return
    with output_file(output) as stream:
        write_directory(records, stream, file_format)
    wrote = context.texts("cli.directory.wrote", count=len(records), path=str(output))
    err_console.print(wrote, highlight=False, markup=False)


# --- output -----------------------------------------------------------------------------

_LISTED = ("code", "name_fi", "name_sv", "segment", "provider_type", "municipality", "phone")


def _listed(service: StoredService, rank: int | None) -> dict[str, Any]:
    record = service.record
    row: dict[str, Any] = {
        "id": service.id,
        "code": record.code,
        "name_fi": record.name_fi,
        "name_sv": record.name_sv,
        "segment": record.segment,
        "provider_type": record.provider_type,
        "municipality": record.municipality,
        "phone": format_service_phone(record.phone) if record.phone else None,
        "active": service.active,
        "source": record.source,
        "source_modified": (
            record.source_modified.isoformat(timespec="seconds") if record.source_modified else None
        ),
    }
    if rank is not None:
        row["rank"] = rank
    return row


def _print_services(
    services: Sequence[StoredService],
    output: OutputFormat,
    texts: Texts,
    *,
    ranks: Sequence[int] | None = None,
) -> None:
    rows = [
        _listed(service, ranks[i] if ranks is not None else None)
        for i, service in enumerate(services)
    ]
    if output is OutputFormat.JSON:
        print_json(rows)
        return
    if output is OutputFormat.CSV:
        fields = ["id", *_LISTED, "active", "source", "source_modified"]
        fields += ["rank"] if ranks is not None else []
        writer = csv.DictWriter(sys.stdout, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return
    if not rows:
        err_console.print(texts("cli.directory.none_found"))
        return
    table = Table(
        texts("cli.directory.code"),
        texts("cli.directory.name"),
        texts("cli.directory.segment"),
        texts("cli.directory.provider"),
        texts("cli.directory.municipality"),
        texts("cli.directory.phone"),
        texts("cli.directory.source"),
        box=None,
    )
    service_of = {service.id: service.record for service in services}
    for row in rows:
        name = row["name_fi"]
        if not row["active"]:
            name = texts("cli.directory.out_of_use", name=name)
        table.add_row(
            row["code"],
            name,
            row["segment"],
            row["provider_type"],
            row["municipality"] or "",
            row["phone"] or "",
            _source(service_of[row["id"]], texts),
        )
    # On a terminal the table fits the window; piped into a file or a pager its
    # rows stay whole instead of being wrapped at 80 columns.
    if console.is_terminal:
        console.print(table)
        return
    width = Measurement.get(console, console.options.update_width(1000), table).maximum
    Console(width=max(width, console.width), highlight=False).print(table)


def _source(record: ServiceRecord, texts: Texts) -> str:
    """Where a service came from: "PTV 14.12.2017" (when the catalogue last changed it),
    or the directory file."""
    if record.source != "ptv":
        return texts("cli.directory.source_file")
    if record.source_modified is None:
        return "PTV"
    day = record.source_modified.astimezone(HELSINKI).date()
    return texts("cli.directory.source_ptv", day=texts.date(day))
