"""The simulator feeds the queue in real time (here: a fake clock)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from ohjaus_tui.domain.codes import Channel, Role
from ohjaus_tui.domain.traffic import TrafficModel
from ohjaus_tui.services.actor import Actor
from ohjaus_tui.services.database import open_desk
from ohjaus_tui.services.operators import add_operator
from ohjaus_tui.services.queue import QueueService
from ohjaus_tui.services.simulate import SimulationStats, Simulator, SimulatorConfig

HKI = ZoneInfo("Europe/Helsinki")
START = datetime(2025, 3, 4, 9, 0, tzinfo=HKI)


class FakeClock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += timedelta(seconds=max(seconds, 0.001))


def _run(
    engine: Engine, seed: int, answer_chats: bool = False
) -> tuple[SimulationStats, list[str]]:
    queue = QueueService(engine)
    clock = FakeClock(START)
    events: list[str] = []
    operator_id = None
    if answer_chats:
        operator = add_operator(
            engine, f"Mikko{seed}", pin="2580", actor=Actor("t", role=Role.ADMIN)
        )
        operator_id = operator.id
        assert operator_id is not None
        queue.staff.sign_on(operator_id, Channel.CHAT, now=clock())

    def on_event(text: str) -> None:
        events.append(text)
        if operator_id is not None and text.startswith("chat #") and "queued" in text:
            item = queue.take_next(operator_id, Channel.CHAT, now=clock())
            if item is not None and item.id is not None:
                queue.reply(item.id, operator_id, "Hei, miten voin auttaa?", now=clock())

    simulator = Simulator(
        queue,
        TrafficModel(per_day=600),
        SimulatorConfig(speed=10, seed=seed, duration=timedelta(minutes=12)),
        clock=clock,
        sleep=clock.sleep,
        on_event=on_event,
    )
    return simulator.run(), events


def test_a_seeded_run_is_realistic(engine: Engine) -> None:
    stats, _ = _run(engine, seed=11)
    assert 200 < stats.queued < 450  # two morning hours of a 600-a-day desk
    assert stats.by_channel["phone"] > stats.by_channel["chat"] > stats.by_channel.get("message", 0)
    assert stats.left > 0, "unanswered chat clients leave"
    assert len(QueueService(engine).active()) == stats.queued - stats.left


def test_the_same_seed_gives_the_same_traffic(engine: Engine, tmp_path: Path) -> None:
    first, events_a = _run(engine, seed=5)
    fresh = open_desk(f"sqlite:///{tmp_path / 'again.db'}")
    try:
        second, events_b = _run(fresh, seed=5)
    finally:
        fresh.dispose()
    assert (first.queued, first.by_channel, first.left) == (
        second.queued,
        second.by_channel,
        second.left,
    )
    strip = [e.split(" ", 2)[::2] for e in events_a]
    assert strip == [e.split(" ", 2)[::2] for e in events_b]


def test_answered_chat_clients_write_back(engine: Engine) -> None:
    stats, _ = _run(engine, seed=2, answer_chats=True)
    assert stats.chat_lines > 0
    assert stats.left == 0
