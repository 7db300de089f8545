"""Who is acting: the name written into the audit trail."""

from __future__ import annotations

import getpass
from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    name: str
    operator_id: int | None = None

    @classmethod
    def os_user(cls) -> Actor:
        """The person at the terminal, as the operating system knows them."""
        try:
            name = getpass.getuser()
        except (KeyError, OSError):
            name = "unknown"
        return cls(name=f"os:{name}")
