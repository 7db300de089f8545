"""Import the service directory from the national service catalogue (PTV).

``PATH`` is a folder laid out as the catalogue's export (``services/``,
``servicechannels/``, ``organizations/``, or the documents side by side), or
one JSON file holding one document, a list of them, or a page of the API's
list calls (``{"pageNumber": ..., "itemList": [...]}``). Every document is
read first; a document that cannot be read is named with its file and the
reason, and then nothing is written unless ``partial`` says to import the rest.
Services are matched by their PTV id, so a second import of the same export
changes nothing, and ``deactivate_missing`` retires the catalogue's services
that are gone from it (never those of a directory file).
"""

from __future__ import annotations

import json
import tomllib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session

from ohjaus_tui.db import directory as repo
from ohjaus_tui.db.audit import record as audit
from ohjaus_tui.db.codelists import load_codebook
from ohjaus_tui.db.engine import write_session
from ohjaus_tui.domain.codes import CodeList, Role
from ohjaus_tui.domain.ptv import (
    SOURCE,
    Catalogue,
    ClassMapping,
    Document,
    Mapped,
    MappingError,
    Note,
    Problem,
    Skip,
    check_codes,
    map_catalogue,
    not_a_document,
    not_a_list,
)
from ohjaus_tui.domain.reasons import reason
from ohjaus_tui.errors import BadInput
from ohjaus_tui.paths import data_dir
from ohjaus_tui.services.actor import Actor
from ohjaus_tui.services.directory import write_plan
from ohjaus_tui.services.progress import ProgressReport
from ohjaus_tui.words import N_

CLASSES_FILE = "ptv_classes.toml"
"""The shipped mapping of service classes to segments (``data/``)."""
FOLDERS = ("organizations", "servicechannels", "services")
"""The export's folders, read in this order."""
REPORT_EVERY = 200


class PtvImportRejected(BadInput):
    """Documents could not be read and ``partial`` was not given: nothing was written."""

    def __init__(self, path: Path, problems: list[Problem], *, code: str) -> None:
        self.path = path
        self.problems = problems
        super().__init__(code=code, path=path.name, count=len(problems))


@dataclass(frozen=True)
class PtvImportResult:
    path: Path
    documents: int
    services: int
    """Service documents read (imported and skipped)."""
    created: int
    updated: int
    unchanged: int
    deactivated: int
    deactivated_in_use: int
    skipped: dict[str, int]
    """Why services were not imported (a :class:`~ohjaus_tui.domain.ptv.Skip`), how many."""
    skipped_classes: dict[str, int]
    problems: list[Problem]
    """Documents left out (only with ``partial``)."""
    notes: list[Note]
    missing_channels: int
    dry_run: bool

    @property
    def imported(self) -> int:
        return self.created + self.updated + self.unchanged


def load_mapping(path: Path | None = None) -> ClassMapping:
    """The class mapping file (default: the shipped one); BadInput names what is wrong."""
    path = path or data_dir() / CLASSES_FILE
    try:
        with path.open("rb") as handle:
            document = tomllib.load(handle)
    except FileNotFoundError:
        raise BadInput(code="textfile.no_file", path=str(path)) from None
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise BadInput(code="ptv.bad_classes", file=path.name, reason=str(exc)) from None
    try:
        return ClassMapping.parse(document)
    except MappingError as exc:
        raise BadInput(code="ptv.bad_classes", file=path.name, reason=str(exc)) from None


# --- reading the export ---------------------------------------------------------------


def read_catalogue(
    path: Path, *, progress: ProgressReport | None = None
) -> tuple[Catalogue, list[Problem], int]:
    """The documents under ``path``, the problems of those that cannot be read, and how
    many documents there were."""
    files = _files(path)
    catalogue = Catalogue()
    problems: list[Problem] = []
    count = 0
    for done, (file, where) in enumerate(files, start=1):
        for document in _documents(file, where, problems):
            count += 1
            catalogue.add(document, problems)
        if progress is not None and (done % REPORT_EVERY == 0 or done == len(files)):
            progress("reading", done, len(files))
    return catalogue, problems, count


def _files(path: Path) -> list[tuple[Path, str]]:
    """The JSON files to read, each with the name it is reported by."""
    if not path.exists():
        raise BadInput(code="textfile.no_file", path=str(path))
    if path.is_file():
        return [(path, path.name)]
    found: list[tuple[Path, str]] = []
    for folder in (path, *(path / name for name in FOLDERS)):
        if folder.is_dir():
            for file in sorted(folder.glob("*.json")):
                found.append((file, file.relative_to(path).as_posix()))
    if not found:
        raise BadInput(code="ptv.no_documents", path=str(path))
    return found


def _documents(file: Path, where: str, problems: list[Problem]) -> Iterator[Document]:
    try:
        data = json.loads(file.read_bytes().decode("utf-8-sig"))
    except OSError as exc:
        problems.append(
            Problem(
                where,
                "",
                reason(
                    "ptv.doc.unreadable", "cannot be read ({said})", said=str(exc.strerror or exc)
                ),
            )
        )
        return
    except UnicodeDecodeError as exc:
        problems.append(
            Problem(
                where,
                "",
                reason("ptv.doc.not_utf8", "not UTF-8 text (byte {position})", position=exc.start),
            )
        )
        return
    except json.JSONDecodeError as exc:
        problems.append(
            Problem(
                where,
                "",
                reason(
                    "ptv.doc.bad_json",
                    "not JSON: {said} (line {line}, column {column})",
                    said=exc.msg,
                    line=exc.lineno,
                    column=exc.colno,
                ),
            )
        )
        return
    except (ValueError, RecursionError) as exc:  # a huge number, a deep nesting
        problems.append(
            Problem(
                where,
                "",
                reason(
                    "ptv.doc.bad_json_other",
                    "not JSON: {said}",
                    said=str(exc).split(";")[0] or type(exc).__name__,
                ),
            )
        )
        return
    if isinstance(data, dict) and "itemList" in data:
        items = data["itemList"]
        if not isinstance(items, list):
            problems.append(Problem(where, "itemList", not_a_list(items)))
            return
        data = items
    if isinstance(data, dict):
        yield Document(where, data)
        return
    if not isinstance(data, list):
        problems.append(
            Problem(
                where,
                "",
                not_a_document(),
            )
        )
        return
    for position, item in enumerate(data, start=1):
        place = f"{where} #{position}"
        if isinstance(item, dict):
            yield Document(place, item)
        else:
            problems.append(
                Problem(
                    place,
                    "",
                    not_a_document(),
                )
            )


# --- import -------------------------------------------------------------------------------


def import_ptv(
    engine: Engine,
    path: Path,
    *,
    actor: Actor,
    classes: Path | None = None,
    partial: bool = False,
    dry_run: bool = False,
    deactivate_missing: bool = False,
    progress: ProgressReport | None = None,
) -> PtvImportResult:
    """Read, map and (unless ``dry_run``) write in one transaction; see the module's docstring.

    Needs the admin role.
    """
    actor.require(Role.ADMIN, N_("action.import_directory"))
    mapping = load_mapping(classes)
    with Session(engine) as session:
        book = load_codebook(session=session)
    unknown = check_codes(
        mapping,
        segments={entry.code for entry in book.codes(CodeList.SEGMENT)},
        provider_types={entry.code for entry in book.codes(CodeList.PROVIDER_TYPE)},
    )
    if unknown:
        name = (classes or data_dir() / CLASSES_FILE).name
        raise BadInput(code="ptv.unknown_codes", file=name, codes=", ".join(unknown))
    catalogue, problems, documents = read_catalogue(path, progress=progress)
    mapped = map_catalogue(catalogue, mapping)
    problems = [*problems, *mapped.problems]
    if problems and not partial:
        raise PtvImportRejected(path, problems, code="ptv.rejected")
    if not mapped.records and not problems and not catalogue.services:
        raise BadInput(code="ptv.no_services", path=str(path))
    if dry_run:
        with Session(engine) as session:
            plan = repo.plan_import(
                session=session,
                records=mapped.records,
                deactivate_missing=deactivate_missing,
                source=SOURCE,
            )
            return _result(
                session, path, documents, catalogue, mapped, problems, plan, dry_run=True
            )
    with write_session(engine) as session:
        plan = repo.plan_import(
            session=session,
            records=mapped.records,
            deactivate_missing=deactivate_missing,
            source=SOURCE,
        )
        write_plan(session, plan, progress)
        result = _result(session, path, documents, catalogue, mapped, problems, plan, dry_run=False)
        audit(
            session=session,
            actor=actor.name,
            operator_id=actor.operator_id,
            action="directory.import",
            entity="service",
            detail={
                "file": path.name,
                "format": SOURCE,
                "documents": documents,
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "deactivated": result.deactivated,
                "skipped": sum(result.skipped.values()),
                "left_out": len(problems),
            },
        )
        return result


def _result(
    session: Session,
    path: Path,
    documents: int,
    catalogue: Catalogue,
    mapped: Mapped,
    problems: list[Problem],
    plan: repo.ImportPlan,
    *,
    dry_run: bool,
) -> PtvImportResult:
    ids = [service.id for service in plan.deactivate if service.id is not None]
    skipped: Counter[Skip] = mapped.skipped
    return PtvImportResult(
        path=path,
        documents=documents,
        services=len(catalogue.services),
        created=len(plan.create),
        updated=len(plan.update),
        unchanged=plan.unchanged,
        deactivated=len(plan.deactivate),
        deactivated_in_use=len(repo.services_in_use(session=session, ids=ids)),
        skipped={str(key): count for key, count in skipped.most_common()},
        skipped_classes=dict(mapped.skipped_classes.most_common()),
        problems=problems,
        notes=mapped.notes,
        missing_channels=mapped.missing_channels,
        dry_run=dry_run,
    )
