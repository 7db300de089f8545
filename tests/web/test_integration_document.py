"""docs/integration.md's curl examples, run against a real ``ohjaus serve`` on a demo
desk: each block whose info string is ``sh curl`` runs in bash, in order, with the
desk's address in ``DESK``, a platform's token in ``TOKEN`` and an assertion the
test's identity proxy signed in ``ASSERTION``; each must exit 0."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session, col, select
from typer.testing import CliRunner

from ohjaus_tui.cli.app import app
from ohjaus_tui.db.models import QueueItem
from ohjaus_tui.services.gateway import add_integration
from ohjaus_tui.services.identity import set_identity
from tests.cli.test_docs import blocks
from tests.proxy_keys import AUDIENCE, HETU, ISSUER, Proxy
from tests.web.conftest import ADMIN
from tests.web.test_serve import log, server

__all__ = ["log", "server"]  # the fixtures of a real server

DOCUMENT = Path(__file__).resolve().parents[2] / "docs" / "integration.md"
CURL = "sh curl"


def curl_examples() -> list[tuple[int, str]]:
    """Each ``sh curl`` block: its first line's number and its text."""
    return [
        (block.lines[0][0], "\n".join(line for _number, line in block.lines))
        for block in blocks(DOCUMENT)
        if block.info == CURL
    ]


def test_the_document_has_curl_examples() -> None:
    assert len(curl_examples()) >= 4


def test_the_curl_examples_run_against_ohjaus_serve(
    server: str, db_url: str, engine: Engine, log: Path
) -> None:
    runner = CliRunner()
    env = {"OHJAUS_LANGUAGE": "en"}
    for command in (["demo"], ["hours", "set", "all", "mon-sun 00:00-24:00"]):
        result = runner.invoke(app, ["--db", db_url, *command], env=env)
        assert result.exit_code == 0, result.output
    token = add_integration(engine, "pbx", actor=ADMIN).token
    proxy = Proxy.new()
    set_identity(
        engine,
        key_file=proxy.public_pem,
        login_url="https://tunnistus.example/login",
        issuer=ISSUER,
        audience=AUDIENCE,
        actor=ADMIN,
    )
    shell = {
        **os.environ,
        "DESK": server,
        "TOKEN": token,
        "ASSERTION": proxy.sign(),
    }

    outputs = []
    for line, text in curl_examples():
        done = subprocess.run(
            ["bash", "-o", "errexit", "-o", "pipefail", "-c", text],
            env=shell,
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert done.returncode == 0, (
            f"docs/integration.md:{line} exited {done.returncode}:\n{done.stdout}{done.stderr}"
        )
        outputs.append(done.stdout)

    said = "\n".join(outputs)
    assert '"status":"accepted"' in said and '"status":"rejected"' in said
    assert '"status":"duplicate"' in said
    with Session(engine) as session:
        from_api = select(QueueItem).where(col(QueueItem.integration_id).is_not(None))
        posted = session.exec(from_api).all()
    assert sorted(item.external_id or "" for item in posted) == ["chat-1", "pbx-1"]
    assert HETU not in log.read_text(errors="replace")
