"""Many processes claiming at once: every item exactly once, none lost, no lock error."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine

from ohjaus_tui.domain.codes import Channel, Role
from ohjaus_tui.services.actor import Actor
from ohjaus_tui.services.operators import add_operator
from ohjaus_tui.services.queue import QueueService
from tests.db.test_crash_safety import waiting_callbacks

ITEMS = 2_000
WORKER = Path(__file__).with_name("claim_worker.py")


@pytest.mark.slow
def test_concurrent_claims_take_every_item_exactly_once(engine: Engine, db_url: str) -> None:
    processes = 20 if engine.dialect.name == "postgresql" else 8
    waiting_callbacks(engine, ITEMS)
    queue = QueueService(engine)
    operator_ids = []
    for n in range(processes):
        operator = add_operator(engine, f"op{n}", pin="2580", actor=Actor("test", role=Role.ADMIN))
        assert operator.id is not None
        queue.staff.sign_on(operator.id, Channel.PHONE)
        operator_ids.append(operator.id)

    start_at = time.time() + 3.0
    workers = [
        subprocess.Popen(
            [sys.executable, str(WORKER), db_url, str(op), str(start_at)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for op in operator_ids
    ]
    claimed: list[int] = []
    busy_workers = 0
    for worker in workers:
        out, err = worker.communicate(timeout=600)
        assert worker.returncode == 0, err
        assert "locked" not in err
        mine = [int(line) for line in out.split()]
        busy_workers += bool(mine)
        claimed.extend(mine)

    assert len(claimed) == ITEMS, "an item was claimed twice or lost"
    assert len(set(claimed)) == ITEMS
    assert queue.active() and all(item.status == "claimed" for item in queue.active())
    assert busy_workers > 1, "the workers did not overlap"
