"""Code lists: what a county may add, and how a code leaves use."""

from __future__ import annotations

import re
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
from ohjaus_tui.words import N_

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
        raise BadInput(code="codes.unknown_list", list=list_name, known=known) from None


def add_code(engine: Engine, entry: CodeEntry, *, actor: Actor) -> CodeEntry:
    """Add a county's own code to a list (admin)."""
    actor.require(Role.ADMIN, N_("action.code_lists"))
    code_list = _check_list(entry.list)
    if code_list in CLOSED_LISTS:
        raise BadInput(code="codes.fixed_list", list=entry.list)
    refuse_identity_code(entry.code, code="codes.code_hetu")
    if not CODE_PATTERN.match(entry.code):
        raise BadInput(code="codes.bad_code", code_given=entry.code)
    for language, label in (("fi", entry.fi), ("sv", entry.sv), ("en", entry.en)):
        if not label.strip():
            raise BadInput(code="codes.empty_label", language=language)
        refuse_identity_code(label, code="codes.label_hetu", language=language)
    group = entry.group
    if code_list is CodeList.REASON:
        group = group or "other"
        if group not in REASON_GROUPS:
            raise BadInput(code="codes.bad_group", group=group, groups=", ".join(REASON_GROUPS))
    elif group is not None:
        raise BadInput(code="codes.group_not_reason")
    with write_session(engine) as session:
        if repo.get_code(session=session, list_name=entry.list, code=entry.code) is not None:
            raise BadInput(code="codes.exists", list=entry.list, code_given=entry.code)
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


def remove_code(engine: Engine, list_name: str, code: str, *, actor: Actor) -> RemoveOutcome:
    """Take a county code out of use: deleted if never used, else deactivated (admin)."""
    actor.require(Role.ADMIN, N_("action.code_lists"))
    _check_list(list_name)
    with write_session(engine) as session:
        row = repo.get_code(session=session, list_name=list_name, code=code)
        if row is None:
            raise BadInput(code="codes.unknown_code", list=list_name, code_given=code)
        if row.builtin:
            raise BadInput(code="codes.builtin", list=list_name, code_given=code)
        if repo.code_in_use(session=session, list_name=list_name, code=code):
            row.active = False
            session.add(row)
            outcome = RemoveOutcome.DEACTIVATED  # it is used by stored records
        else:
            session.delete(row)
            outcome = RemoveOutcome.DELETED  # it was never used
        record(
            session=session,
            actor=actor.name,
            operator_id=actor.operator_id,
            action=f"code.{outcome.value}",
            entity="code",
            entity_id=f"{list_name}:{code}",
        )
        return outcome
