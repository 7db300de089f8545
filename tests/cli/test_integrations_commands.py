"""``ohjaus integrations``: a platform's token shown once, kept as a hash only."""

from __future__ import annotations

import hashlib

from sqlalchemy import Engine
from sqlmodel import Session, select

from ohjaus_tui.db.models import AuditEvent, Integration
from tests.cli.conftest import Invoke


def test_add_prints_the_token_once_and_keeps_its_hash(ohjaus: Invoke, engine: Engine) -> None:
    result = ohjaus("integrations", "add", "pbx", "--webhook", "https://pbx.example/desk")

    assert result.exit_code == 0, result.output
    token, secret = result.stdout.split()
    assert len(token) >= 43
    assert "Integration pbx added" in result.stderr
    assert "signing secret (shown only now" in result.stderr
    with Session(engine) as session:
        row = session.exec(select(Integration)).one()
        audit = session.exec(select(AuditEvent).where(AuditEvent.action == "integration.add")).one()
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert row.webhook_url == "https://pbx.example/desk"
    assert row.webhook_secret == secret and len(bytes.fromhex(secret)) == 32
    detail = audit.detail or ""
    assert token not in detail and row.token_hash not in detail and secret not in detail


def test_without_a_webhook_only_the_token_is_printed(ohjaus: Invoke) -> None:
    result = ohjaus("integrations", "add", "pbx")

    assert result.exit_code == 0, result.output
    assert len(result.stdout.split()) == 1
    assert "secret" not in result.stderr


def test_list_shows_no_token_and_revoke_marks_it(ohjaus: Invoke) -> None:
    token = ohjaus("integrations", "add", "pbx").stdout.strip()
    ohjaus("integrations", "add", "chat")

    revoked = ohjaus("integrations", "revoke", "pbx")
    listed = ohjaus("integrations", "list")
    as_json = ohjaus("integrations", "list", "--format", "json")

    assert revoked.exit_code == 0, revoked.output
    assert "token of integration pbx is revoked" in revoked.stdout
    assert token not in listed.stdout and token not in as_json.stdout
    lines = {line.split()[0]: line for line in listed.stdout.splitlines()[1:]}
    assert "active" in lines["chat"] and "revoked" in lines["pbx"]
    assert '"revoked_at": null' in as_json.stdout


def test_a_name_taken_an_unknown_one_and_a_bad_webhook_are_refused(ohjaus: Invoke) -> None:
    ohjaus("integrations", "add", "pbx")

    taken = ohjaus("integrations", "add", "pbx")
    unknown = ohjaus("integrations", "revoke", "fax")
    webhook = ohjaus("integrations", "add", "chat", "--webhook", "ftp://chat.example")

    assert (taken.exit_code, unknown.exit_code, webhook.exit_code) == (2, 2, 2)
    assert "There is an integration pbx already." in taken.stderr
    assert "There is no integration fax." in unknown.stderr
    assert "will not do" in webhook.stderr


def test_the_commands_speak_finnish(ohjaus: Invoke) -> None:
    result = ohjaus("integrations", "list", language="fi")

    assert result.stdout.strip() == "Integraatioita ei ole."
