"""The staffing calculator: published figures, the textbook formula, and a simulated queue.

Each published figure names where it was printed and quotes it; a figure is checked
to the digits it was printed with. Our definitions: the service level is the share
of all offered contacts answered within the time (one who gives up is not
answered); ``asa_seconds`` is the mean wait of the answered contacts; ``abandoned``
is the share of offered contacts that give up.
"""

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
    0.888, occupancy 0.714, P(wait) 0.174, ASA 7.8 s; with 30 % shrinkage, 20 positions.

    Printed in the pyworkforce README (github.com/rodrigo-arenas/pyworkforce,
    ``ErlangC(transactions=100, aht=3, asa=20/60, interval=30, shrinkage=0.3)``):
    "'raw_positions': 14, 'positions': 20, 'service_level': 0.8884, 'occupancy':
    0.7143, 'waiting_probability': 0.1741"; and in the R package ErlangC's README
    (rdocumentation.org/packages/ErlangC/versions/0.1.0, 100 calls in 30 minutes, 180 s,
    20 s, 14 agents): "wait_probability 0.1741319, service_level 0.88835,
    average_speed_of_answer 7.83593701177724s, occupancy 0.7142857".
    """
    result = agents_needed(Traffic(per_hour=200, aht=180, within=20), 0.8)
    assert result.agents == 14
    assert round(result.service_level, 3) == 0.888
    assert round(result.occupancy, 3) == 0.714
    assert round(result.p_wait, 3) == 0.174
    assert round(result.asa_seconds, 1) == 7.8
    assert positions(result.agents, 0.3) == 20


def test_eth_zurich_slides_as_quoted_by_the_octave_queueing_package() -> None:
    """M/M/m with arrival rate 9 and service rate 5 per time unit (here an hour: 9
    contacts, 720 s each): with m = 2, 7.674 waiting and a response time of 1.053; with
    m = 4, 0.105 and 0.212.

    ETH Zürich, Advanced Systems Lab 2017, slides "M/M/x queues"
    (www.systems.ethz.ch/sites/default/files/file/asl2017/slides/slides-mmx-queues.pdf),
    as quoted with that address in the tests of ``qsmmm.m`` of the GNU Octave queueing
    package (Moreno Marzolla, github.com/mmarzolla/queueing, inst/qsmmm.m):
    "assert( NW, 7.674, 1e-3 ); assert( R, 1.053, 1e-3 )" and "0.105", "0.212".
    Nobody gives up, so our ASA is the mean wait W of all; NW = 9 W (Little's law)
    and R = W + 1/5.
    """
    traffic = Traffic(per_hour=9, aht=720, within=0)
    for agents, waiting, response in ((2, 7.674, 1.053), (4, 0.105, 0.212)):
        hours = performance(traffic, agents).asa_seconds / 3600
        assert round(9 * hours, 3) == waiting
        assert round(hours + 1 / 5, 3) == response


def test_the_r_erlang_package_vignette() -> None:
    """200 contacts a half hour at 180 s (20 erlangs), 80 % answered within 60 s: 23
    agents, occupancy 20/23 or 87 %.

    Patrick Hubers, R package Erlang, vignette "Erlang: Queuing and Staffing Functions
    for Contact Centers" (github.com/phubers/erlang, vignettes/vignette.Rmd): "a
    workload of 200 calls per half hour and an average handling time of 3 minutes,
    means we'll have 20 calls in progress on average"; the agents "needed to achieve a
    Service Level result of 80% within 60 second" come from
    ``number_of_agents_for_sl(arrival_rate = 200, avg_handle_time = 180,
    interval_length = 30, wait_time = 60, service_level_goal = 0.8)``, and "if we have
    a workload of 20 Erlang and we need 23 agents to hit our service level target, we
    get an occupancy of 20/23 or 87%" (the vignette prints the 23 in its prose only).
    """
    traffic = Traffic(per_hour=400, aht=180, within=60)
    assert traffic.load == 20
    result = agents_needed(traffic, 0.8)
    assert result.agents == 23
    assert round(result.occupancy, 2) == 0.87


def test_the_ruby_erlang_c_calculator_readme() -> None:
    """0.01 contacts a second (36 an hour) of 300 s: 3.0 erlangs, and 6 agents are the
    fewest whose average wait is under 20 s.

    The Ruby gem erlang_c_calculator (github.com/tennety/erlang_c_calculator), whose
    README cites Ger Koole's "Call Center Mathematics": "e =
    ErlangC::Calculator.new(0.01, 300, 20); e.traffic_intensity # => 3.0;
    e.agents_needed # => 6", where ``agents_needed`` (lib/erlang_c_calculator.rb) adds
    agents while the average wait is 20 s or more.
    """
    traffic = Traffic(per_hour=0.01 * 3600, aht=300, within=20)
    assert traffic.load == pytest.approx(3.0)
    assert performance(traffic, 5).asa_seconds >= 20
    assert performance(traffic, 6).asa_seconds < 20


def test_erlang_a_against_pyworkforce() -> None:
    """Erlang A, 200 contacts an hour at 180 s, 20 s, callers' mean patience 300 s,
    14 agents: P(wait) 0.14526, abandoned 0.013984, occupancy 0.704297, service level
    0.916792, mean wait of all arrivals 0.069919 min.

    pyworkforce's test of its ErlangA (github.com/rodrigo-arenas/pyworkforce,
    pyworkforce/queuing/tests/test_abandonment.py, ``ErlangA(transactions=100, aht=3,
    asa=20 / 60, interval=30, patience=5)``, ``_metrics(14)`` and ``service_level(14)``).
    Its service level counts, as ours does, the answered within 20 s among all offered.
    Its "average_speed_of_answer" is the mean wait of all arrivals, those who give up
    included (queue length / arrival rate), not ours of the answered only; by Little's
    law for the waiting room, abandoned = wait of all / mean patience, so it is
    abandoned x 300 s.

    The same package's README prints, for 13 agents, "'service_level': 0.8584,
    'occupancy': 0.7500, 'abandonment_probability': 0.0253, 'waiting_probability':
    0.2265, 'average_speed_of_answer': 0.1258". Its agents (13, and 19 positions with
    30 % shrinkage) and occupancy agree with ours; the rest do not, beyond their
    rounding: we give 0.8582, 0.0250, 0.2258 and 0.1248 min. An exact computation in
    rational numbers of the same birth-death chain gives ours (P(wait) 0.2257971,
    abandoned 0.0249633), with the formulas the package's own code uses (P(wait) the
    chance of N or more present, abandoned = patience rate x mean queue / arrival
    rate); and the README's figures disagree with each other: its occupancy is
    arrivals x (1 - abandoned) x AHT / agents, which for 0.0253 is 0.7498, not 0.7500.
    Those four are left out, presumably printed by an older version of the package.
    """
    traffic = Traffic(per_hour=200, aht=180, within=20, patience=300)
    result = performance(traffic, 14)
    assert round(result.p_wait, 5) == 0.14526
    assert round(result.abandoned, 6) == 0.013984
    assert round(result.occupancy, 6) == 0.704297
    assert round(result.service_level, 6) == 0.916792
    assert round(result.abandoned * 300 / 60, 6) == 0.069919
    staffed = agents_needed(traffic, 0.8)
    assert staffed.agents == 13 and positions(staffed.agents, 0.3) == 19
    assert round(staffed.occupancy, 4) == 0.7500


@pytest.mark.parametrize(("per_hour", "agents"), [(200, 8), (200, 12), (2000, 100), (2000, 110)])
def test_patience_as_long_as_the_handling_is_an_infinite_server_queue(
    per_hour: int, agents: int
) -> None:
    """With the callers' mean patience equal to the handling time, everyone present
    leaves at the same rate, waiting or served: the number present is Poisson with the
    load as its mean (M/M/infinity), exactly. So P(wait) = P(L >= N) and the share
    that gives up is E[(L - N)+] / load. Also at 2,000 contacts an hour."""
    traffic = Traffic(per_hour=per_hour, aht=180, within=20, patience=180)
    load = traffic.load
    top = int(load + 40 * math.sqrt(load) + 50)

    def poisson(k: int) -> float:
        return math.exp(k * math.log(load) - load - math.lgamma(k + 1))

    waiting = math.fsum(poisson(k) for k in range(agents, top))
    over = math.fsum((k - agents) * poisson(k) for k in range(agents + 1, top))
    result = performance(traffic, agents)
    assert result.p_wait == pytest.approx(waiting, rel=1e-9)
    assert result.abandoned == pytest.approx(over / load, rel=1e-9)
    assert result.occupancy == pytest.approx((load - over) / agents, rel=1e-9)


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
