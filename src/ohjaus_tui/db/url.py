"""Turning what a user types after ``--db`` into a SQLAlchemy URL."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from ohjaus_tui.errors import BadInput

SUPPORTED_BACKENDS = ("sqlite", "postgresql")


def normalise_url(raw: str, *, create_parent: bool = False) -> str:
    """A full URL from a URL or a SQLite file path.

    ``postgres://`` and ``postgresql://`` get the psycopg 3 driver; a bare path
    becomes ``sqlite:///ABSOLUTE``. ``create_parent`` makes the directory of a
    default path; a path the user typed must already have its directory.
    """
    raw = raw.strip()
    if not raw:
        raise BadInput(code="database.url_empty")
    if "://" not in raw:
        path = Path(raw).expanduser().resolve()
        if create_parent:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        return URL.create("sqlite", database=str(path)).render_as_string(hide_password=False)
    if raw.startswith("postgres://"):
        raw = "postgresql://" + raw.removeprefix("postgres://")
    try:
        url = make_url(raw)
    except ArgumentError as exc:
        raise BadInput(code="database.bad_url", url=raw) from exc
    if url.get_backend_name() not in SUPPORTED_BACKENDS:
        raise BadInput(code="database.unsupported", backend=url.get_backend_name())
    if url.get_backend_name() == "postgresql" and url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    return url.render_as_string(hide_password=False)


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL; None for other backends or in-memory SQLite."""
    parsed = make_url(url)
    if (
        parsed.get_backend_name() != "sqlite"
        or not parsed.database
        or parsed.database == ":memory:"
    ):
        return None
    return Path(parsed.database)


def display_url(url: str) -> str:
    """The URL with any password hidden, for messages and ``db status``."""
    return make_url(url).render_as_string(hide_password=True)
