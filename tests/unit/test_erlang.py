"""The staffing calculator: published figures, the textbook formula, and a simulated queue."""

from __future__ import annotations

import heapq
import math
import random

import pytest

from ohjaus_tui.domain.erlang import (
    Traffic,
    agents_needed,
    erlang_c,
    performance,
    positions,
)


def test_the_published_check() -> None:
    """200 contacts an hour, 180 s each, 80 % within 20 s: 14 agents, service level
    0.888, occupancy 0.714, P(wait) 0.174, ASA 7.8 s; with 30 % shrinkage, 20 positions."""
    result = agents_needed(Traffic(per_hour=200, aht=180, within=20), 0.8)
    assert result.agents == 14
    assert round(result.service_level, 3) == 0.888
    assert round(result.occupancy, 3) == 0.714
    assert round(result.p_wait, 3) == 0.174
    assert round(result.asa_seconds, 1) == 7.8
    assert positions(result.agents, 0.3) == 20


def _textbook_erlang_c(agents: int, load: float) -> float:
    """Erlang C written as in the textbooks, with powers and factorials (small sizes only)."""
    top = load**agents / math.factorial(agents) * agents / (agents - load)
    return top / (sum(load**k / math.factorial(k) for k in range(agents)) + top)


@pytest.mark.parametrize(("agents", "load"), [(2, 1.0), (5, 3.2), (14, 10.0), (40, 33.3)])
def test_erlang_c_agrees_with_the_textbook_formula(agents: int, load: float) -> None:
    assert erlang_c(agents, load) == pytest.approx(_textbook_erlang_c(agents, load), rel=1e-12)


def test_large_traffic_neither_overflows_nor_drifts() -> None:
    """2,000 contacts an hour: factorials would overflow a float long before 110 agents."""
    result = agents_needed(Traffic(per_hour=2000, aht=180, within=20), 0.8)
    assert 100 < result.agents < 115
    assert 0.8 <= result.service_level < 0.83
    assert (
        performance(Traffic(per_hour=2000, aht=180, within=20), result.agents - 1).service_level
        < 0.8
    )
    with_patience = agents_needed(Traffic(per_hour=2000, aht=180, within=20, patience=60), 0.8)
    assert with_patience.agents < result.agents  # Erlang C overstates the staff
    assert math.isfinite(with_patience.asa_seconds)


def test_too_few_agents_for_the_load_answer_nobody_in_time() -> None:
    overloaded = performance(Traffic(per_hour=200, aht=180, within=20), 10)  # 10 erlangs
    assert overloaded.service_level == 0 and overloaded.p_wait == 1
    with_patience = performance(Traffic(per_hour=200, aht=180, within=20, patience=60), 10)
    assert 0 < with_patience.service_level < 1  # those who give up make room


def test_patience_without_end_is_erlang_c() -> None:
    traffic = Traffic(per_hour=200, aht=180, within=20)
    patient = Traffic(per_hour=200, aht=180, within=20, patience=1e9)
    for agents in (12, 14, 16):
        c, a = performance(traffic, agents), performance(patient, agents)
        assert a.service_level == pytest.approx(c.service_level, abs=1e-4)
        assert a.p_wait == pytest.approx(c.p_wait, abs=1e-4)
        assert a.asa_seconds == pytest.approx(c.asa_seconds, abs=1e-2)
        assert a.abandoned == pytest.approx(0, abs=1e-4)


def _simulate(traffic: Traffic, agents: int, contacts: int, seed: int) -> tuple[float, float]:
    """First come, first served with ``agents`` agents: the share answered within the
    target time, and the share that gave up (a caller leaves when its wait would
    pass its patience, and takes no agent)."""
    rng = random.Random(seed)
    free_at = [0.0] * agents  # when each agent is next free
    heapq.heapify(free_at)
    now = 0.0
    in_time = gave_up = 0
    warm_up = contacts // 10
    for n in range(contacts + warm_up):
        now += rng.expovariate(traffic.per_hour / 3600)
        start = max(now, free_at[0])
        wait = start - now
        patience = math.inf if traffic.patience is None else rng.expovariate(1 / traffic.patience)
        if wait > patience:
            gave_up += n >= warm_up
            continue
        heapq.heapreplace(free_at, start + rng.expovariate(1 / traffic.aht))
        in_time += n >= warm_up and wait <= traffic.within
    return in_time / contacts, gave_up / contacts


@pytest.mark.parametrize(
    ("traffic", "agents"),
    [
        (Traffic(per_hour=200, aht=180, within=20), 14),
        (Traffic(per_hour=200, aht=180, within=20, patience=120), 12),
        (Traffic(per_hour=60, aht=300, within=60, patience=90), 5),
    ],
)
def test_a_simulated_queue_gives_the_calculated_service_level(
    traffic: Traffic, agents: int
) -> None:
    simulated, gave_up = _simulate(traffic, agents, contacts=150_000, seed=7)
    calculated = performance(traffic, agents)
    assert simulated == pytest.approx(calculated.service_level, abs=0.02)
    assert gave_up == pytest.approx(calculated.abandoned, abs=0.02)


def test_shrinkage_rounds_the_positions_up() -> None:
    assert positions(14, 0) == 14
    assert positions(14, 0.3) == 20
    assert positions(7, 0.3) == 10
    with pytest.raises(ValueError):
        positions(14, 1)
