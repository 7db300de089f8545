"""A platform's webhook for the tests: a stdlib HTTP server on a free loopback port."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Receiver:
    """A platform's webhook on a loopback port: refuses the first ``failures`` posts."""

    failures: int = 0
    posts: list[tuple[dict[str, str], bytes, int]] = field(default_factory=list)
    url: str = ""

    @property
    def accepted(self) -> list[tuple[dict[str, str], bytes]]:
        return [(headers, body) for headers, body, status in self.posts if status < 300]


@contextmanager
def serving() -> Iterator[Receiver]:
    """A :class:`Receiver` listening until the block ends."""
    got = Receiver()
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            with lock:
                status = 503 if len(got.posts) < got.failures else 204
                got.posts.append((dict(self.headers.items()), body, status))
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    got.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/ohjaus"
    try:
        yield got
    finally:
        server.shutdown()
        server.server_close()
