"""The resident's chat: how soon an operator's reply reaches the resident's page, and what
``ohjaus serve`` holds in memory, with many chats open at once.

    .venv/bin/python bench/bench_chat.py [--db URL] [--chats 200] [--replies 30]

Starts ``ohjaus serve`` over a fresh desk (a temporary SQLite file, or ``--db``: an
empty database, e.g. PostgreSQL's), opens ``--chats`` chats as the chat page does
and holds each one's live stream open (a load script's connection each, not a
browser each: ``GET /chat/<token>/events``, Server-Sent Events). An operator then
takes the chats in turn and replies; each figure is the time from the start of the
operator's reply (its write included) to the line arriving on its resident's stream.
The goals: p95 within 300 ms on SQLite and 150 ms on PostgreSQL.

The floor of the latency is the same with one stream open (measured first, in the
same run); the floor of the memory is the server's resident set before any stream.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: bench.bench_gateway is importable
    sys.path.insert(0, str(ROOT))

from bench.bench_gateway import Server  # noqa: E402

if TYPE_CHECKING:
    from bench.runner import Figures

SMOKE = ["--chats", "3", "--replies", "2"]
"""A run small enough for the test suite (see bench/runner.py)."""

OPEN = "0000"
"""The stream's ``shape`` of a chat going on (not ended, no identification asked, the
resident there, no feedback): the page's, so that the stream does not ask for a reload."""


def resident_set_mb(pid: int) -> float:
    """The process's resident memory (Linux), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise SystemExit("no VmRSS in /proc: memory is measured on Linux only")


class Streams:
    """Chats' live streams held open, noting when each line arrived."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.arrived: dict[str, float] = {}
        self.tasks: list[asyncio.Task[None]] = []

    def open(self, token: str) -> None:
        self.tasks.append(asyncio.create_task(self._follow(token)))

    async def _follow(self, token: str) -> None:
        import json

        reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
        path = f"/chat/{token}/events?after=1&shape={OPEN}"
        writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
        await writer.drain()
        try:
            while raw := await reader.readline():
                line = raw.decode(errors="replace").strip()
                if line.startswith("data: "):
                    for said in json.loads(line[6:]).get("lines", []):
                        self.arrived.setdefault(said["text"], time.perf_counter())
        finally:
            writer.close()

    def close(self) -> None:
        for task in self.tasks:
            task.cancel()
        self.tasks = []


async def replies(queue: Any, operator: int, streams: Streams, count: int, tag: str) -> list[float]:
    """Take ``count`` chats in turn and reply to each: milliseconds to each stream."""
    from ohjaus_tui.domain.codes import Channel

    delays: list[float] = []
    for n in range(count):
        item = await asyncio.to_thread(queue.take_next, operator, Channel.CHAT)
        if item is None:
            raise SystemExit("no chat left to take")
        text = f"{tag} {n}"
        start = time.perf_counter()
        await asyncio.to_thread(queue.reply, item.id, operator, text)
        deadline = start + 10
        while text not in streams.arrived:
            if time.perf_counter() > deadline:
                raise SystemExit(f"the reply {text!r} did not reach its stream in 10 s")
            await asyncio.sleep(0.001)
        delays.append((streams.arrived[text] - start) * 1000)
        await asyncio.to_thread(queue.close, item.id, operator)
    return delays


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def main(argv: list[str] | None = None) -> Figures:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", help="an empty database's URL (default: a temporary SQLite file)")
    parser.add_argument("--chats", type=int, default=200, help="chats open at once")
    parser.add_argument("--replies", type=int, default=30, help="replies measured")
    args = parser.parse_args(argv)
    if args.replies > args.chats:
        raise SystemExit("--replies must not exceed --chats: each reply goes to a chat of its own")

    from ohjaus_tui.domain.calendar import HELSINKI, OpeningHours
    from ohjaus_tui.domain.codes import Channel, Role
    from ohjaus_tui.services.actor import Actor
    from ohjaus_tui.services.database import open_desk
    from ohjaus_tui.services.hours import set_hours
    from ohjaus_tui.services.operators import add_operator
    from ohjaus_tui.services.queue import QueueService
    from ohjaus_tui.services.resident_chat import start_chat

    with tempfile.TemporaryDirectory() as folder:
        url = args.db or f"sqlite:///{Path(folder) / 'bench.db'}"
        print(f"database: {url.split('@')[-1]}")
        engine = open_desk(url)
        admin = Actor("bench", role=Role.ADMIN)
        set_hours(engine, [Channel.CHAT], OpeningHours.parse("mon-sun 00:00-24:00"), actor=admin)
        anna = add_operator(engine, "Anna", role=Role.OPERATOR, pin="2580", actor=admin)
        assert anna.id is not None
        operator = anna.id
        queue = QueueService(engine)
        queue.refresh_calendar()
        queue.staff.sign_on(operator, Channel.CHAT)

        def chat() -> str:
            started = start_chat(
                queue, text="Hei", language="fi", on_behalf=False, identified=False, zone=HELSINKI
            )
            return str(started.token)

        async def run(port: int, pid: int) -> tuple[list[float], list[float], float, float]:
            idle = resident_set_mb(pid)
            streams = Streams(port)
            alone = [chat() for _ in range(args.replies)]
            one: list[float] = []
            for token in alone:  # one stream open at a time: the floor
                streams.open(token)
                await asyncio.sleep(0.2)
                one += await replies(queue, operator, streams, 1, f"alone {token[:6]}")
                streams.close()
            tokens = [chat() for _ in range(args.chats)]
            for token in tokens:
                streams.open(token)
            await asyncio.sleep(min(5, 0.5 + args.chats / 100))  # every stream connected
            held = resident_set_mb(pid)
            many = await replies(queue, operator, streams, args.replies, "many")
            streams.close()
            return one, many, idle, held

        with Server(url, 1, Path(folder) / "serve.log") as server:
            one, many, idle, held = asyncio.run(run(server.port, server.process.pid))
        engine.dispose()
    print(f"one chat open: p50 {statistics.median(one):.0f} ms, p95 {p95(one):.0f} ms")
    print(
        f"{args.chats} chats open: p50 {statistics.median(many):.0f} ms, "
        f"p95 {p95(many):.0f} ms, max {max(many):.0f} ms"
    )
    print(f"ohjaus serve: {idle:.0f} MB idle, {held:.0f} MB with {args.chats} streams open")
    return {
        "reply_one_open_p95_ms": {"value": p95(one), "unit": "ms"},
        "reply_p50_ms": {"value": statistics.median(many), "unit": "ms"},
        "reply_p95_ms": {"value": p95(many), "unit": "ms", "against": "reply_one_open_p95_ms"},
        "reply_max_ms": {"value": max(many), "unit": "ms"},
        "serve_idle_mb": {"value": idle, "unit": "MB"},
        "serve_with_chats_mb": {"value": held, "unit": "MB", "against": "serve_idle_mb"},
    }


if __name__ == "__main__":
    main()
