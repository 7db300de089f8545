"""The API's rate limits: per client address and per integration, 429 with Retry-After."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from ohjaus_tui.services.gateway import add_integration
from ohjaus_tui.settings import Settings
from ohjaus_tui.web.api import ApiLimits
from ohjaus_tui.web.app import create_app
from ohjaus_tui.web.pages import Buckets
from tests.web.conftest import ADMIN
from tests.web.test_events import CALLBACK, post


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def limited(engine: Engine, clock: Clock) -> Iterator[TestClient]:
    """The API allowing 3 requests at once, then one every 2 seconds, on a clock of its own."""
    app = create_app(engine, Settings(api_burst=3, api_per_second=0.5), send_webhooks=False)
    limits: ApiLimits = app.state.api_limits
    for buckets in (limits.by_address, limits.by_platform):
        assert (buckets.size, buckets.every) == (3, 2.0)
        buckets.clock = clock
    with TestClient(app) as client:
        yield client


def test_an_address_over_its_limit_waits_as_retry_after_says(
    limited: TestClient, token: str, clock: Clock
) -> None:
    answers = [post(limited, token, {**CALLBACK, "external_id": f"pbx-{n}"}) for n in range(4)]

    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert answers[-1].headers["Retry-After"] == "2"
    assert answers[-1].json() == {"detail": "too many requests: retry later"}
    clock.now += 2
    assert post(limited, token, {**CALLBACK, "external_id": "pbx-9"}).status_code == 200


def test_the_address_limit_comes_before_the_token(limited: TestClient) -> None:
    codes = [post(limited, "guessed", CALLBACK).status_code for _ in range(4)]

    assert codes == [401, 401, 401, 429]


def test_each_integration_has_its_own_limit(engine: Engine, token: str, clock: Clock) -> None:
    app = create_app(engine, Settings(), send_webhooks=False)
    app.state.api_limits = ApiLimits(Buckets(size=100), Buckets(size=2, every=10, clock=clock))
    other = add_integration(engine, "chat", actor=ADMIN).token
    with TestClient(app) as client:
        mine = [post(client, token, {**CALLBACK, "external_id": f"a-{n}"}) for n in range(3)]
        theirs = post(client, other, {**CALLBACK, "external_id": "b-1"})

    assert [a.status_code for a in mine] == [200, 200, 429]
    assert mine[-1].headers["Retry-After"] == "10"
    assert theirs.status_code == 200


def test_the_defaults_allow_a_burst_then_fifty_a_second() -> None:
    limits = ApiLimits.of(Settings())

    assert (limits.by_address.size, limits.by_address.every) == (200, 0.02)
