"""The contact-logging form's state: defaults, rows, draft JSON, the record.

Pure of widgets: the form screen (``tui/screens/contact_form.py``) shows it
and changes it; tests and drafts read and write it as plain data.

The form starts with what the queue item knows (identification, on behalf,
language; the channel is the item's) and with the desk's own defaults from
the settings (:class:`DeskDefaults`), which the form marks as such. Nothing
else is guessed: a row the operator leaves empty is logged as not recorded.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

from ohjaus_tui.domain.codebook import CodeBook
from ohjaus_tui.domain.codes import CodeList
from ohjaus_tui.domain.contact import (
    MANY_SERVICES_SIGNS,
    MAX_TEXT,
    NO_REFERRAL,
    ContactRecord,
    FieldError,
    validate_contact,
)
from ohjaus_tui.domain.privacy import contains_henkilotunnus
from ohjaus_tui.services.desk_values import Item
from ohjaus_tui.settings import Settings
from ohjaus_tui.tui.widgets.service_picker import PickedService
from ohjaus_tui.words import N_, Texts
from ohjaus_tui.words.errors import reason_in

YES = "yes"
NO = "no"
IDENTIFIED = "identified"
ANONYMOUS = "anonymous"
FIRST_REASON = "health"
"""The most common reason (65 %) comes first, under the key 1."""
SIGNS = MANY_SERVICES_SIGNS
"""The many-services checklist (yhteisasiakkaan tunnistamisen apulista; docs/codes.md)."""
SIGN_TEXTS = {
    "many_needs": N_("sign.many_needs"),
    "many_actors": N_("sign.many_actors"),
    "social_and_health": N_("sign.social_and_health"),
    "unmet": N_("sign.unmet"),
    "coordination": N_("sign.coordination"),
}
"""A sign of the checklist: the message id of its wording."""
SCORES = tuple(str(score) for score in range(1, 6))
DRAFT_DELAY = 0.3
"""Seconds of quiet after a change before the draft is written."""
DRAFT_VERSION = 1

ROWS = (
    "reasons",
    "caller",
    "referral",
    "service-search",
    "mode",
    "segment",
    "level",
    "identification",
    "on_behalf",
    "language",
    "resolved",
    "signs",
    "score",
    "helped",
    "feedback-text",
    "note",
)
"""The form's rows top to bottom: what Up and Down move between."""
REFERRAL_ROWS = frozenset({"service-search", "mode"})
"""Rows shown only for a referral."""
ROW_OF = {
    "reasons": "reasons",
    "caller_type": "caller",
    "referral": "referral",
    "referral_mode": "mode",
    "referral_service": "service-search",
    "referral_segment": "segment",
    "segment": "segment",
    "level": "level",
    "language": "language",
    "feedback_score": "score",
    "feedback_scale": "score",
    "helped": "helped",
    "feedback_text": "feedback-text",
    "note": "note",
}
"""The row to go to for an error about a field."""
LABEL_OF = {
    "started_at": N_("col.received"),
    "channel": N_("col.channel"),
    "caller_type": N_("form.caller"),
    "referral": N_("form.referral"),
    "referral_mode": N_("form.mode"),
    "referral_service": N_("form.service"),
    "referral_segment": N_("form.segment"),
    "segment": N_("form.segment"),
    "level": N_("form.level"),
    "language": N_("form.language"),
    "feedback_score": N_("form.score"),
    "feedback_scale": N_("form.score"),
    "feedback_text": N_("form.feedback_text"),
    "note": N_("form.note"),
}
"""A column a refusal names: the message id of its row's label."""
FIX_OF = {
    "reasons": N_("form.err.reasons"),
    "caller_type": N_("form.err.caller_type"),
    "referral": N_("form.err.referral"),
    "referral_mode": N_("form.err.referral_mode"),
    "referral_service": N_("form.err.referral_service"),
    "started_at": N_("form.err.started_at"),
}
"""A column a refusal names: the message id of what to do about it, where the form says more
than the refusal."""


def _flag(value: str | None) -> bool | None:
    return None if value is None else value == YES


def _yes_no(value: bool | None) -> str | None:
    return None if value is None else YES if value else NO


def one_code(value: str | None) -> tuple[str, ...]:
    return (value,) if value else ()


DEFAULT_ROWS = {"caller": "caller_type", "referral": "referral", "level": "level"}
"""The rows of the form a desk may set a default for, and its field in :class:`DeskDefaults`."""


@dataclass(frozen=True)
class DeskDefaults:
    """The codes a desk has set its form to start with (settings ``default_*``).

    Each is shown in the form as the desk's default and recorded once the
    contact is saved; None where the desk has set none.
    """

    caller_type: str | None = None
    referral: str | None = None
    level: str | None = None

    @classmethod
    def of(cls, settings: Settings, codes: CodeBook) -> DeskDefaults:
        """The settings' defaults that are codes in use; any other is left out."""

        def usable(list_name: str, code: str | None) -> str | None:
            return code if code is not None and codes.is_valid(list_name, code) else None

        return cls(
            caller_type=usable(CodeList.CALLER_TYPE, settings.default_caller_type),
            referral=usable(CodeList.REFERRAL, settings.default_referral),
            level=usable(CodeList.LEVEL, settings.default_guidance_level),
        )

    def of_row(self, row_id: str) -> str | None:
        """The default of a row of the form (None for a row without one)."""
        field = DEFAULT_ROWS.get(row_id)
        return getattr(self, field) if field else None


@dataclass(frozen=True)
class FormState:
    """What the form holds: codes of the rows, the picked service and the texts."""

    reasons: tuple[str, ...] = ()
    caller_type: str | None = None
    referral: str | None = None
    referral_mode: str | None = None
    service: PickedService | None = None
    search: str = ""
    segment: str | None = None
    level: str | None = None
    identification: str | None = ANONYMOUS
    on_behalf: str | None = NO
    language: str | None = "fi"
    resolved: str | None = None
    signs: tuple[str, ...] = ()
    score: str | None = None
    helped: str | None = None
    feedback_text: str = ""
    note: str = ""
    many_services_kept: bool = False
    """A correction of a contact logged with many services but without its signs (logged
    before they were kept): the flag stays until the signs row is changed."""

    @classmethod
    def of_record(cls, record: ContactRecord, service: PickedService | None) -> FormState:
        """A logged contact, to correct it."""
        return cls(
            reasons=record.reasons,
            caller_type=record.caller_type,
            referral=record.referral,
            referral_mode=record.referral_mode,
            service=service,
            segment=record.segment,
            level=record.level,
            identification=IDENTIFIED if record.identified else ANONYMOUS,
            on_behalf=YES if record.on_behalf else NO,
            language=record.language,
            resolved=_yes_no(record.resolved_first_contact),
            signs=record.many_services_signs,
            score=str(record.feedback_score) if record.feedback_score else None,
            helped=_yes_no(record.helped),
            feedback_text=record.feedback_text or "",
            note=record.note or "",
            many_services_kept=record.many_services and not record.many_services_signs,
        )

    @classmethod
    def for_item(
        cls, item: Item, codes: CodeBook, defaults: DeskDefaults | None = None
    ) -> FormState:
        """What the queue item already says about the contact, and the desk's defaults."""
        defaults = defaults or DeskDefaults()
        language = item.language if codes.is_valid(CodeList.LANGUAGE, item.language) else "other"
        return cls(
            caller_type=defaults.caller_type,
            referral=defaults.referral,
            level=defaults.level,
            identification=IDENTIFIED if item.identified else ANONYMOUS,
            on_behalf=YES if item.on_behalf else NO,
            language=language,
        )

    @property
    def is_referral(self) -> bool:
        return self.referral not in (None, NO_REFERRAL)

    # --- drafts -----------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"version": DRAFT_VERSION}
        for field in fields(self):
            value = getattr(self, field.name)
            if isinstance(value, tuple):
                value = list(value)
            elif isinstance(value, PickedService):
                value = value.to_json()
            data[field.name] = value
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any], base: FormState) -> FormState:
        """``base`` with what a draft holds; anything unreadable keeps the base value."""
        values: dict[str, Any] = {}
        for field in fields(cls):
            if field.name not in data:
                continue
            raw = data[field.name]
            default = getattr(base, field.name)
            if field.name == "service":
                values["service"] = PickedService.from_json(raw)
            elif isinstance(default, tuple):
                if isinstance(raw, list) and all(isinstance(code, str) for code in raw):
                    values[field.name] = tuple(raw)
            elif isinstance(default, str) and field.name in ("search", "feedback_text", "note"):
                if isinstance(raw, str):
                    values[field.name] = raw
            elif raw is None or isinstance(raw, str):
                values[field.name] = raw
        return replace(base, **values)

    # --- the contact ------------------------------------------------------------

    def record(self, item: Item) -> ContactRecord:
        """The contact to log; the referral fields only for a referral."""
        referral = self.is_referral
        service = self.service if referral else None
        return ContactRecord(
            started_at=item.received_at,
            channel=item.channel,
            caller_type=self.caller_type,
            reasons=self.reasons,
            referral=self.referral,
            referral_mode=self.referral_mode if referral else None,
            referral_service=service.code if service else None,
            referral_segment=service.segment if service else None,
            segment=self.segment,
            level=self.level,
            identified=self.identification == IDENTIFIED,
            on_behalf=self.on_behalf == YES,
            language=self.language or "",
            resolved_first_contact=_flag(self.resolved),
            many_services=bool(self.signs) or self.many_services_kept,
            many_services_signs=tuple(sign for sign in SIGNS if sign in self.signs),
            feedback_score=int(self.score) if self.score else None,
            feedback_scale=5 if self.score else None,
            helped=_flag(self.helped),
            feedback_text=self.feedback_text.strip() or None,
            note=self.note.strip() or None,
        )

    def problems(self, item: Item, codes: CodeBook) -> list[FieldError]:
        """The log's rules for a contact logged at the desk (the desk session checks
        them again as it logs)."""
        return validate_contact(self.record(item), codes, at_desk=True)

    def friendly(self, errors: Iterable[FieldError], texts: Texts) -> list[str]:
        """What to fix, in the UI language, each once."""
        said: list[str] = []
        for column, message in errors:
            label = texts(LABEL_OF[column]) if column in LABEL_OF else column
            if column in ("note", "feedback_text"):
                text = self.note if column == "note" else self.feedback_text
                if contains_henkilotunnus(text):
                    what = texts("form.err.hetu", field=label)
                else:
                    what = texts("form.err.too_long", field=label, limit=MAX_TEXT)
            elif column in FIX_OF:
                what = texts(FIX_OF[column])
            else:
                what = texts("form.err.other", field=label, message=reason_in(message, texts))
            if what not in said:
                said.append(what)
        return said
