"""Where the shipped migrations and data files are.

In a source checkout (editable install, tests) they sit at the repository root;
an installed wheel carries them inside the package as ``_migrations`` and
``_data``.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_REPO = _PACKAGE.parents[1]


def _find(packaged: str, in_repo: str) -> Path:
    for candidate in (_PACKAGE / packaged, _REPO / in_repo):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"cannot find the {in_repo}/ folder of ohjaus")


def migrations_dir() -> Path:
    return _find("_migrations", "migrations")


def data_dir() -> Path:
    return _find("_data", "data")
