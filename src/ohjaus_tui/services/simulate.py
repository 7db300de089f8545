"""Live simulated traffic: residents calling, chatting and writing to the desk.

Arrivals come in real time at ``speed`` times the model's rate (so a demo
moves within seconds while every timestamp stays true), through the same
intake format a telephony or chat platform uses. Chat clients who wait too
long leave; those who are answered write back a few times.
"""

from __future__ import annotations

import json
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from ohjaus_tui.domain.calendar import utcnow
from ohjaus_tui.domain.codes import QueueStatus
from ohjaus_tui.domain.intake import ChatEvent, ContactRequest, EventType, parse_line
from ohjaus_tui.domain.traffic import TrafficModel
from ohjaus_tui.errors import OhjausError
from ohjaus_tui.services.queue import QueueService

MEAN_PATIENCE = timedelta(minutes=6)
MEAN_TYPING = timedelta(seconds=45)
MAX_FOLLOW_UPS = 3
TEND_EVERY = timedelta(seconds=1)
CALENDAR_EVERY = timedelta(seconds=30)
"""How often a running simulation reads the desk's hours again."""


@dataclass(frozen=True)
class SimulatorConfig:
    speed: float = 1.0
    seed: int | None = None
    duration: timedelta | None = None
    """Real time to run; None runs until stopped."""


@dataclass
class SimulationStats:
    queued: int = 0
    refused: int = 0
    chat_lines: int = 0
    left: int = 0
    by_channel: dict[str, int] = field(default_factory=dict)


@dataclass
class _Chat:
    item_id: int
    external_id: str
    language: str
    patience_until: datetime
    next_line_at: datetime | None = None
    answered_lines: int = 0
    follow_ups: int = 0


class Simulator:
    def __init__(
        self,
        queue: QueueService,
        model: TrafficModel,
        config: SimulatorConfig,
        *,
        clock: Callable[[], datetime] = utcnow,
        sleep: Callable[[float], None] = time.sleep,
        on_event: Callable[[str], None] | None = None,
    ) -> None:
        self.queue = queue
        self.model = model
        self.config = config
        self.clock = clock
        self.sleep = sleep
        self.on_event = on_event or (lambda _text: None)
        self.rng = random.Random(config.seed)
        self.stats = SimulationStats()
        self._chats: dict[int, _Chat] = {}
        self._serial = 0

    def _scaled(self, mean: timedelta) -> timedelta:
        seconds = self.rng.expovariate(1.0 / mean.total_seconds()) / self.config.speed
        return timedelta(seconds=seconds)

    def _next_candidate(self, now: datetime) -> datetime:
        ceiling = self.model.peak_rate * self.config.speed
        return now + timedelta(seconds=self.rng.expovariate(ceiling))

    def run(self, stop: threading.Event | None = None) -> SimulationStats:
        """Feed traffic until ``duration`` has passed or ``stop`` is set."""
        start = self.clock()
        end = start + self.config.duration if self.config.duration else None
        candidate = self._next_candidate(start)
        next_tend = start
        next_calendar = start + CALENDAR_EVERY
        while not (stop and stop.is_set()):
            now = self.clock()
            if end and now >= end:
                break
            if now >= candidate:
                accept = self.model.rate_per_second(candidate) * self.config.speed
                if self.rng.random() * self.model.peak_rate * self.config.speed <= accept:
                    self._arrive(now)
                candidate = self._next_candidate(candidate)
                continue
            if now >= next_tend:
                self._tend_chats(now)
                next_tend = now + TEND_EVERY
            if now >= next_calendar:
                self._read_calendar()
                next_calendar = now + CALENDAR_EVERY
            wake = min(candidate, next_tend) if self._chats else candidate
            if end:
                wake = min(wake, end)
            self.sleep(max(0.0, min((wake - now).total_seconds(), 0.5)))
        return self.stats

    def _read_calendar(self) -> None:
        """The desk's hours again: an admin may change them while traffic runs."""
        self.model = replace(self.model, calendar=self.queue.refresh_calendar())

    def _arrive(self, now: datetime) -> None:
        self._serial += 1
        line = self.model.request(self.rng, now, self._serial)
        parsed = parse_line(json.dumps(line), now=now, zone=self.model.calendar.tz)
        request = parsed.event
        assert isinstance(request, ContactRequest)
        try:
            outcome = self.queue.intake(request, now=now)
        except OhjausError as exc:
            self.stats.refused += 1
            self.on_event(f"{request.channel.value} refused: {exc}")
            return
        self.stats.queued += 1
        channel = request.channel.value
        self.stats.by_channel[channel] = self.stats.by_channel.get(channel, 0) + 1
        self.on_event(f"{channel} #{outcome.item_id} queued ({request.language})")
        if channel == "chat" and request.external_id:
            self._chats[outcome.item_id] = _Chat(
                item_id=outcome.item_id,
                external_id=request.external_id,
                language=request.language,
                patience_until=now + self._scaled(MEAN_PATIENCE),
            )

    def _tend_chats(self, now: datetime) -> None:
        if not self._chats:
            return
        states = self.queue.reply_counts(list(self._chats))
        for chat in list(self._chats.values()):
            status, answered = states.get(chat.item_id, (QueueStatus.CLOSED.value, 0))
            if status not in (QueueStatus.WAITING, QueueStatus.CLAIMED):
                del self._chats[chat.item_id]
                continue
            if status == QueueStatus.WAITING:
                if now >= chat.patience_until:
                    self._event(ChatEvent(EventType.LEFT, chat.external_id, now))
                    self.stats.left += 1
                    self.on_event(f"chat #{chat.item_id}: the client left before an answer")
                    del self._chats[chat.item_id]
                continue
            if answered > chat.answered_lines and chat.next_line_at is None:
                chat.answered_lines = answered
                if chat.follow_ups < MAX_FOLLOW_UPS:
                    chat.next_line_at = now + self._scaled(MEAN_TYPING)
            if chat.next_line_at is not None and now >= chat.next_line_at:
                text = self.model.follow_up(self.rng, chat.language)
                self._event(ChatEvent(EventType.CHAT_LINE, chat.external_id, now, text=text))
                chat.follow_ups += 1
                chat.next_line_at = None
                self.stats.chat_lines += 1

    def _event(self, event: ChatEvent) -> None:
        try:
            self.queue.chat_event(event)
        except OhjausError:
            self._chats = {
                k: v for k, v in self._chats.items() if v.external_id != event.external_id
            }
