"""``POST /api/v1/events``: a platform's events, each answered on its own."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from ohjaus_tui.db.models import AuditEvent, QueueItem
from ohjaus_tui.domain.calendar import OpeningHours
from ohjaus_tui.domain.codes import Channel
from ohjaus_tui.services.gateway import revoke_integration
from ohjaus_tui.services.hours import set_hours
from ohjaus_tui.web.api import MAX_BODY
from tests.web.conftest import ADMIN

CALLBACK = {"channel": "phone", "external_id": "pbx-1", "phone": "040 123 4567"}
MESSAGE = {
    "channel": "message",
    "external_id": "msg-1",
    "subject": "Resepti",
    "text": "Voisitteko uusia reseptini?",
}
TUESDAY_MORNING = "2025-03-04T10:00:00+02:00"
"""A business day's morning: the chat is open (weekdays 09-15)."""


def post(client: TestClient, token: str, body: Any, **headers: str) -> Any:
    return client.post(
        "/api/v1/events",
        content=json.dumps(body),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json", **headers},
    )


def test_good_events_are_queued_and_audited_without_their_content(
    client: TestClient, token: str, engine: Engine
) -> None:
    answer = post(client, token, [CALLBACK, MESSAGE])

    assert answer.status_code == 200
    results = answer.json()["results"]
    assert [r["status"] for r in results] == ["accepted", "accepted"]
    with Session(engine) as session:
        items = session.exec(select(QueueItem).order_by(col(QueueItem.id))).all()
        audit = session.exec(select(AuditEvent).where(AuditEvent.action == "queue.received")).all()
    assert [i.id for i in items] == [r["item_id"] for r in results]
    assert [i.external_id for i in items] == ["pbx-1", "msg-1"]
    assert {a.actor for a in audit} == {"api:pbx"}
    assert sorted(a.entity_id or "" for a in audit) == sorted(str(i.id) for i in items)
    trail = " ".join(a.detail or "" for a in audit)
    assert "Resepti" not in trail and "358401234567" not in trail and "040" not in trail


def test_one_object_is_answered_as_a_list_of_one(client: TestClient, token: str) -> None:
    answer = post(client, token, MESSAGE)

    assert answer.status_code == 200
    assert [r["status"] for r in answer.json()["results"]] == ["accepted"]


def test_a_known_external_id_is_a_duplicate_of_the_same_item(
    client: TestClient, token: str
) -> None:
    first = post(client, token, CALLBACK).json()["results"][0]
    again = post(client, token, CALLBACK).json()["results"][0]

    assert again == {"status": "duplicate", "item_id": first["item_id"], "masked": []}


def test_bad_events_are_rejected_with_field_and_reason_and_the_good_kept(
    client: TestClient, token: str, engine: Engine
) -> None:
    events = [
        {"channel": "phone", "external_id": "pbx-2"},
        {"channel": "phone", "phone": "0295 000 000"},
        {"channel": "fax"},
        {"channel": "message", "text": "Hei", "colour": "red"},
        "not an object",
        MESSAGE,
    ]
    results = post(client, token, events).json()["results"]

    assert [(r["status"], r.get("field"), r.get("code")) for r in results[:5]] == [
        ("rejected", "phone", "intake.line.no_phone"),
        ("rejected", "phone", "phone.service_number"),
        ("rejected", "channel", "intake.line.unknown_channel"),
        ("rejected", None, "intake.line.unknown_field"),
        ("rejected", None, "intake.line.not_object"),
    ]
    assert results[0]["reason"] == "phone is required for a callback request"
    assert results[3]["reason"] == "unknown field: colour"
    assert results[5]["status"] == "accepted"
    with Session(engine) as session:
        assert len(session.exec(select(QueueItem)).all()) == 1


def test_a_chat_and_its_events_the_closed_chat_refused(client: TestClient, token: str) -> None:
    chat = {"channel": "chat", "external_id": "chat-1", "received_at": TUESDAY_MORNING}
    line = {"event": "chat_line", "external_id": "chat-1", "text": "Lapsi on 2-vuotias."}
    sunday = {"channel": "chat", "external_id": "chat-2", "received_at": "2025-03-02T10:00"}
    unknown = {"event": "left", "external_id": "chat-9"}

    results = post(client, token, [chat, line, sunday, unknown]).json()["results"]

    assert [r["status"] for r in results] == ["accepted", "accepted", "rejected", "rejected"]
    assert results[0]["item_id"] == results[1]["item_id"]
    assert (results[2]["code"], results[2]["field"]) == ("intake.chat_closed", "channel")
    assert (results[3]["code"], results[3]["field"]) == ("intake.no_chat", "external_id")


def test_an_identity_code_is_masked_and_said_where(client: TestClient, token: str) -> None:
    event = {**MESSAGE, "text": "Olen 131052-308T, soittakaa."}

    result = post(client, token, event).json()["results"][0]

    assert (result["status"], result["masked"]) == ("accepted", ["text"])


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer ", "Bearer not-the-token", "Basic cGJ4OnBieA=="],
    ids=["missing", "empty", "wrong", "not-bearer"],
)
def test_no_valid_token_is_401(client: TestClient, token: str, authorization: str | None) -> None:
    headers = {"Content-Type": "application/json"}
    if authorization is not None:
        headers["Authorization"] = authorization

    answer = client.post("/api/v1/events", content=json.dumps(MESSAGE), headers=headers)

    assert answer.status_code == 401
    assert answer.headers["WWW-Authenticate"] == "Bearer"


def test_a_revoked_token_is_refused_at_once(client: TestClient, token: str, engine: Engine) -> None:
    assert post(client, token, MESSAGE).status_code == 200

    revoke_integration(engine, "pbx", actor=ADMIN)

    assert post(client, token, {**MESSAGE, "external_id": "msg-2"}).status_code == 401


def test_a_body_that_is_not_json_content_is_415(client: TestClient, token: str) -> None:
    answer = client.post(
        "/api/v1/events",
        content=json.dumps(MESSAGE),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "text/plain"},
    )

    assert answer.status_code == 415


def test_a_body_that_is_not_json_is_400(client: TestClient, token: str) -> None:
    answer = client.post(
        "/api/v1/events",
        content=b'{"channel": ',
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )

    assert answer.status_code == 400
    assert answer.json()["detail"].startswith("not JSON")


def test_a_body_over_the_limit_is_413_by_its_length_or_as_it_streams(
    client: TestClient, token: str
) -> None:
    big = json.dumps([MESSAGE] * (MAX_BODY // len(json.dumps(MESSAGE)) + 1)).encode()
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    declared = client.post("/api/v1/events", content=big, headers=headers)

    def chunks() -> Iterator[bytes]:  # no Content-Length: sent chunked
        for start in range(0, len(big), 65536):
            yield big[start : start + 65536]

    streamed = client.post("/api/v1/events", content=chunks(), headers=headers)

    assert declared.status_code == 413
    assert streamed.status_code == 413


def test_the_access_log_names_method_path_status_and_no_content(
    client: TestClient, token: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="ohjaus.web.access"):
        post(client, token, MESSAGE)

    lines = [r.getMessage() for r in caplog.records if r.name == "ohjaus.web.access"]
    assert len(lines) == 1
    assert lines[0].startswith("POST /api/v1/events 200 ")
    assert "Resepti" not in lines[0] and token not in lines[0]


def test_the_openapi_document_describes_the_events(client: TestClient) -> None:
    document = client.get("/api/openapi.json").json()

    body = document["paths"]["/api/v1/events"]["post"]["requestBody"]
    event = body["content"]["application/json"]["schema"]["oneOf"][0]
    assert set(event["properties"]) >= {"event", "channel", "phone", "external_id", "text"}
    assert "/healthz" in document["paths"]
    assert client.get("/api/docs").status_code == 404  # FastAPI's page needs a CDN


def test_the_desks_own_hours_decide_whether_chat_is_open(
    client: TestClient, token: str, engine: Engine
) -> None:
    """An admin's hours (ohjaus hours set) are the API's too: chat on Sunday at ten is open
    once the desk serves chat every day (found: the gateway used the default hours)."""
    sunday = {"channel": "chat", "external_id": "chat-s", "received_at": "2025-03-02T10:00"}
    set_hours(engine, [Channel.CHAT], OpeningHours.parse("mon-sun 08:00-20:00"), actor=ADMIN)

    [result] = post(client, token, sunday).json()["results"]

    assert result["status"] == "accepted"


def test_events_are_stored_in_lots_and_a_fault_leaves_the_rest_not_stored(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two events a transaction here: a refusal inside a lot keeps its neighbours; the
    database failing in the second lot leaves that lot and the rest ``not_stored``,
    and the first lot stored (a platform posts them again: duplicates, then)."""
    from ohjaus_tui.domain.calendar import HELSINKI
    from ohjaus_tui.errors import StorageFault
    from ohjaus_tui.services import gateway
    from ohjaus_tui.services.queue import QueueService

    queue = QueueService(engine)
    monkeypatch.setattr(gateway, "RECEIVED_TOGETHER", 2)
    posted = [
        {**CALLBACK, "external_id": "a"},
        {"channel": "phone", "external_id": "b"},  # no number: refused
        {**CALLBACK, "external_id": "c"},
        {**CALLBACK, "external_id": "d"},
        {**CALLBACK, "external_id": "e"},
    ]
    taken = queue.intake_in

    def failing(session: Session, request: Any, **kwargs: Any) -> Any:
        if request.external_id == "d":
            raise StorageFault("busy", "the database is busy")
        return taken(session, request, **kwargs)

    monkeypatch.setattr(queue, "intake_in", failing)
    outcomes = gateway.receive_events(queue, posted, integration="pbx", zone=HELSINKI)
    assert [o.status.value for o in outcomes] == [
        "accepted",
        "rejected",
        "not_stored",
        "not_stored",
        "not_stored",
    ]
    with Session(engine) as session:
        stored = session.exec(select(QueueItem.external_id)).all()
    assert stored == ["a"]  # "c" was in the lot that failed: rolled back with it

    monkeypatch.setattr(queue, "intake_in", taken)
    again = gateway.receive_events(queue, posted, integration="pbx", zone=HELSINKI)
    assert [o.status.value for o in again] == [
        "duplicate",
        "rejected",
        "accepted",
        "accepted",
        "accepted",
    ]
