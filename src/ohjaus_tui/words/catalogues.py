"""The catalogues on disk: which languages there are, and one language's messages.

A language is there when ``locale/<language>/LC_MESSAGES/ohjaus.po`` is: a
county adds one by adding its catalogue. The ``.po`` file itself is read with
Babel the first time a text of its language is needed (no compiled ``.mo``
that could be missing or older than its ``.po``); Babel is imported then, not
before. What was read is kept in the user's cache folder under the ``.po``
file's size and time (``marshal``: some milliseconds to load, where parsing the
``.po`` takes some tens, which the workstation's first frame would wait for); a
changed catalogue is read again, and a cache that cannot be written is no error.
"""

from __future__ import annotations

import hashlib
import marshal
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DOMAIN = "ohjaus"
"""The catalogues' gettext domain: the name of each ``.po`` file and of the template."""
LOCALE_DIR = Path(__file__).with_name("locale")
FALLBACK = "fi"
"""The language whose words stand in for a language's missing ones (and for a
language without a catalogue)."""


@dataclass(frozen=True)
class Catalogue:
    """One language's messages as read from its ``.po`` file."""

    language: str
    messages: Mapping[str, tuple[str, ...]]
    """A message id's text, or its plural forms in the order the catalogue numbers them;
    without the messages the catalogue leaves empty or marks fuzzy."""
    form_of: Callable[[int], int]
    """The catalogue's ``Plural-Forms``: the form a count takes."""

    def text(self, key: str) -> str | None:
        forms = self.messages.get(key)
        return forms[0] if forms else None

    def plural_text(self, key: str, count: int) -> str | None:
        forms = self.messages.get(key)
        if not forms:
            return None
        return forms[min(self.form_of(count), len(forms) - 1)]


@dataclass(frozen=True)
class Catalogues:
    """The catalogues in ``directory``, one folder a language."""

    directory: Path = LOCALE_DIR

    def path(self, language: str) -> Path:
        return self.directory / language / "LC_MESSAGES" / f"{DOMAIN}.po"

    @property
    def template(self) -> Path:
        """What ``pybabel extract`` wrote: every message id the code uses."""
        return self.directory / f"{DOMAIN}.pot"

    def languages(self) -> tuple[str, ...]:
        """The languages that have a catalogue, Finnish first."""
        found = {
            path.parent.parent.name for path in self.directory.glob(f"*/LC_MESSAGES/{DOMAIN}.po")
        }
        return tuple(sorted(found, key=lambda language: (language != FALLBACK, language)))

    def load(self, language: str) -> Catalogue:
        """``language``'s catalogue, read once; Finnish's for a language without one."""
        return _load(self, language)


@cache
def _load(catalogues: Catalogues, language: str) -> Catalogue:
    path = catalogues.path(language)
    return _read(path if path.is_file() else catalogues.path(FALLBACK))


CACHE_FORMAT = 1
"""Bumped when what the cache holds changes shape."""


@cache
def _read(path: Path) -> Catalogue:
    from gettext import c2py

    kept = _cache_path(path)
    reading = _cached(kept) if kept is not None else None
    if reading is None:
        reading = _parse(path)
        if kept is not None:
            _keep(kept, reading)
    messages, plural_expr = reading
    return Catalogue(path.parent.parent.name, messages, c2py(plural_expr))


def _parse(path: Path) -> tuple[dict[str, tuple[str, ...]], str]:
    from babel.messages.pofile import read_po

    with path.open("rb") as file:
        catalog = read_po(file, abort_invalid=True)
    messages: dict[str, tuple[str, ...]] = {}
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        key = message.id if isinstance(message.id, str) else message.id[0]
        text = message.string
        forms = (text,) if isinstance(text, str) else tuple(text or ())
        if forms and all(forms):
            messages[key] = forms
    return messages, catalog.plural_expr


def _cache_path(path: Path) -> Path | None:
    """Where the reading of ``path`` as it is now is kept (None: no cache folder)."""
    try:
        import platformdirs

        seen = path.stat()
        folder = platformdirs.user_cache_path("ohjaus")
    except OSError:
        return None
    key = f"{CACHE_FORMAT}:{path.resolve()}:{seen.st_size}:{seen.st_mtime_ns}"
    return folder / f"words-{hashlib.sha256(key.encode()).hexdigest()[:24]}.marshal"


def _cached(kept: Path) -> tuple[dict[str, tuple[str, ...]], str] | None:
    try:
        messages, plural_expr = marshal.loads(kept.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if not isinstance(messages, dict) or not isinstance(plural_expr, str):
        return None
    return messages, plural_expr


def _keep(kept: Path, reading: tuple[dict[str, tuple[str, ...]], str]) -> None:
    """Write the reading for the next start (atomically; silently not, where the folder
    cannot be written)."""
    try:
        kept.parent.mkdir(parents=True, exist_ok=True)
        partial = kept.with_suffix(f".{os.getpid()}.tmp")
        partial.write_bytes(marshal.dumps(reading))
        partial.replace(kept)
    except OSError:
        return
