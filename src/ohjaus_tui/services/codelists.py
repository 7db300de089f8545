"""Code lists: what a county may add, and how a code leaves use."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import Engine
from sqlmodel import Session

from ohjaus_tui.db import codelists as repo
from ohjaus_tui.db.audit import record
from ohjaus_tui.db.engine import write_session
from ohjaus_tui.domain.codebook import CLOSED_LISTS, CodeBook, CodeEntry
from ohjaus_tui.domain.codes import CodeList, Role
from ohjaus_tui.errors import BadInput, refuse_identity_code
from ohjaus_tui.services.actor import Actor

CODE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_]{0,31}$")
REASON_GROUPS = ("health", "social", "other")


def codebook(engine: Engine) -> CodeBook:
    with Session(engine) as session:
        return repo.load_codebook(session=session)


def _check_list(list_name: str) -> CodeList:
    try:
        return CodeList(list_name)
    except ValueError:
        known = ", ".join(item.value for item in CodeList)
        raise BadInput(f"unknown code list {list_name!r} (known: {known})") from None


def add_code(engine: Engine, entry: CodeEntry, *, actor: Actor) -> CodeEntry:
    """Add a county's own code to a list (admin)."""
    actor.require(Role.ADMIN, "changing the code lists")
    code_list = _check_list(entry.list)
    if code_list in CLOSED_LISTS:
        raise BadInput(f"the {entry.list} list is fixed: the program acts on its codes")
    refuse_identity_code(entry.code, field="the code")
    if not CODE_PATTERN.match(entry.code):
        raise BadInput(
            f"code {entry.code!r}: use 1-32 lowercase letters a-z, digits and _ (e.g. 'housing')"
        )
    for language, label in (("fi", entry.fi), ("sv", entry.sv), ("en", entry.en)):
        if not label.strip():
            raise BadInput(f"the {language} label is empty")
        refuse_identity_code(label, field=f"the {language} label")
    group = entry.group
    if code_list is CodeList.REASON:
        group = group or "other"
        if group not in REASON_GROUPS:
            raise BadInput(f"reason group {group!r}: use one of {', '.join(REASON_GROUPS)}")
    elif group is not None:
        raise BadInput("--group applies to reasons only")
    with write_session(engine) as session:
        if repo.get_code(session=session, list_name=entry.list, code=entry.code) is not None:
            raise BadInput(f"{entry.list} code {entry.code!r} exists already")
        row = repo.add_code(
            session=session,
            entry=CodeEntry(entry.list, entry.code, entry.fi, entry.sv, entry.en, group),
        )
        record(
            session=session,
            actor=actor.name,
            operator_id=actor.operator_id,
            action="code.add",
            entity="code",
            entity_id=f"{entry.list}:{entry.code}",
            detail={"fi": entry.fi, "sv": entry.sv, "en": entry.en, "group": group},
        )
        return repo.entry_of(row)


class RemoveOutcome(StrEnum):
    DELETED = "deleted"
    DEACTIVATED = "deactivated"


@dataclass(frozen=True)
class RemoveResult:
    outcome: RemoveOutcome
    reason: str


def remove_code(engine: Engine, list_name: str, code: str, *, actor: Actor) -> RemoveResult:
    """Take a county code out of use: deleted if never used, else deactivated (admin)."""
    actor.require(Role.ADMIN, "changing the code lists")
    _check_list(list_name)
    with write_session(engine) as session:
        row = repo.get_code(session=session, list_name=list_name, code=code)
        if row is None:
            raise BadInput(f"no {list_name} code {code!r}")
        if row.builtin:
            raise BadInput(
                f"{list_name} code {code!r} is a national default; it keeps its meaning "
                "so that reports compare across years and counties"
            )
        if repo.code_in_use(session=session, list_name=list_name, code=code):
            row.active = False
            session.add(row)
            result = RemoveResult(RemoveOutcome.DEACTIVATED, "it is used by stored records")
        else:
            session.delete(row)
            result = RemoveResult(RemoveOutcome.DELETED, "it was never used")
        record(
            session=session,
            actor=actor.name,
            operator_id=actor.operator_id,
            action=f"code.{result.outcome.value}",
            entity="code",
            entity_id=f"{list_name}:{code}",
        )
        return result
