"""Code lists in memory: labels in three languages, report groups, validation."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ohjaus_tui.domain.codes import CodeList
from ohjaus_tui.domain.reasons import Reason, reason

CLOSED_LISTS = frozenset({CodeList.CHANNEL, CodeList.IDENTIFICATION})
"""Lists whose codes the program itself acts on; a county cannot add to them."""


@dataclass(frozen=True)
class CodeEntry:
    list: str
    code: str
    fi: str
    sv: str
    en: str
    group: str | None = None
    sort_order: int = 0
    active: bool = True
    builtin: bool = False

    def label(self, language: str) -> str:
        return {"fi": self.fi, "sv": self.sv, "en": self.en}.get(language, self.fi)


@dataclass(frozen=True)
class CodeBook:
    """All code lists, looked up by list and code."""

    entries: tuple[CodeEntry, ...]
    _index: Mapping[tuple[str, str], CodeEntry] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", {(e.list, e.code): e for e in self.entries})

    @classmethod
    def of(cls, entries: Iterable[CodeEntry]) -> CodeBook:
        return cls(tuple(sorted(entries, key=lambda e: (e.list, e.sort_order, e.code))))

    def codes(self, list_name: str, *, active_only: bool = True) -> list[CodeEntry]:
        return [e for e in self.entries if e.list == list_name and (e.active or not active_only)]

    def get(self, list_name: str, code: str) -> CodeEntry | None:
        return self._index.get((list_name, code))

    def label(self, list_name: str, code: str, language: str) -> str:
        entry = self.get(list_name, code)
        return entry.label(language) if entry else code

    def is_valid(self, list_name: str, code: str) -> bool:
        """True for an active code of the list."""
        entry = self.get(list_name, code)
        return entry is not None and entry.active

    def check(self, list_name: str, code: str) -> Reason | None:
        """None when ``code`` is an active code of the list, else what is wrong."""
        entry = self.get(list_name, code)
        if entry is None:
            known = ", ".join(e.code for e in self.codes(list_name))
            return reason(
                "codebook.unknown_code",
                "unknown {list} code {code!r} (known: {known})",
                list=list_name,
                code=code,
                known=known,
            )
        if not entry.active:
            return reason(
                "codebook.retired_code",
                "{list} code {code!r} is no longer in use",
                list=list_name,
                code=code,
            )
        return None
