"""How long work reports how far it is."""

from __future__ import annotations

from typing import Protocol


class ProgressReport(Protocol):
    """Told as work goes on: the step (a phase, a table), items done of all items."""

    def __call__(self, step: str, done: int, total: int, /) -> None: ...
