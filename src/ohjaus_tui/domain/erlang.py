"""How many people a channel needs: Erlang C, and Erlang A where callers give up.

A channel gets ``per_hour`` contacts an hour at random (Poisson), each taking
``aht`` seconds of an agent's time on average (exponential). Erlang C (M/M/N)
assumes nobody gives up waiting, which overstates the people needed when they
do; Erlang A (M/M/N+M) takes the callers' mean ``patience`` into account.

Both are computed without factorials or powers, so that large traffic (two
thousand contacts an hour) neither overflows nor loses precision: Erlang C
through the Erlang B recursion, Erlang A through the stationary distribution of
its birth-death chain and, for the waits, the uniformized chain of the places
ahead of a caller in the queue.

The service level is the share of all offered contacts answered within
``within`` seconds (a contact that gives up is not answered).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

TAIL = 1e-15
"""Where the Erlang A chain is cut: a state this much less likely than the likeliest."""


@dataclass(frozen=True)
class Traffic:
    """A channel's load and its target answer time."""

    per_hour: float
    aht: float
    """Average handling time in seconds."""
    within: float
    """The service level's answer time in seconds."""
    patience: float | None = None
    """Callers' mean patience in seconds (Erlang A); None: nobody gives up (Erlang C)."""

    def __post_init__(self) -> None:
        if not (self.per_hour > 0 and self.aht > 0 and self.within >= 0):
            raise ValueError("traffic needs contacts and a handling time above zero")
        if self.patience is not None and self.patience <= 0:
            raise ValueError("patience must be above zero")

    @property
    def load(self) -> float:
        """Offered load in erlangs: the agents busy on average if all were answered."""
        return self.per_hour / 3600 * self.aht


@dataclass(frozen=True)
class Performance:
    """What ``agents`` people give a channel."""

    agents: int
    service_level: float
    occupancy: float
    p_wait: float
    """Probability that a contact has to wait at all."""
    asa_seconds: float
    """Average speed of answer: the mean wait of the answered contacts."""
    abandoned: float
    """Share of contacts that give up before an answer (0 in Erlang C)."""


def erlang_b(agents: int, load: float) -> float:
    """Blocking probability of ``agents`` servers under ``load`` erlangs (the recursion
    B(n) = A B(n-1) / (n + A B(n-1)), which is stable for any size)."""
    blocking = 1.0
    for n in range(1, agents + 1):
        blocking = load * blocking / (n + load * blocking)
    return blocking


def erlang_c(agents: int, load: float) -> float:
    """Probability of waiting with ``agents`` servers; 1 when they cannot keep up."""
    if agents <= load:
        return 1.0
    blocking = erlang_b(agents, load)
    return agents * blocking / (agents - load * (1 - blocking))


def performance(traffic: Traffic, agents: int) -> Performance:
    """What ``agents`` people give: by Erlang A with a patience, else Erlang C."""
    if agents < 1:
        raise ValueError("at least one agent")
    if traffic.patience is None:
        return _erlang_c_performance(traffic, agents)
    return _erlang_a_performance(traffic, agents)


def agents_needed(traffic: Traffic, target: float) -> Performance:
    """The fewest agents whose service level reaches ``target`` (0-1), and what they give."""
    if not 0 < target < 1:
        raise ValueError("the target is a share between 0 and 1")
    low = 1
    high = max(1, math.floor(traffic.load) + 1)
    while performance(traffic, high).service_level < target:
        low, high = high + 1, high * 2
    while low < high:  # the service level grows with the agents
        middle = (low + high) // 2
        if performance(traffic, middle).service_level >= target:
            high = middle
        else:
            low = middle + 1
    return performance(traffic, high)


def positions(agents: int, shrinkage: float) -> int:
    """People to schedule so that ``agents`` are answering when a ``shrinkage`` share of
    paid time goes to breaks, training and other work."""
    if not 0 <= shrinkage < 1:
        raise ValueError("shrinkage is a share from 0 up to (not including) 1")
    return math.ceil(agents / (1 - shrinkage) - 1e-9)


def _erlang_c_performance(traffic: Traffic, agents: int) -> Performance:
    load = traffic.load
    if agents <= load:  # the queue grows without end
        return Performance(agents, 0.0, 1.0, 1.0, math.inf, 0.0)
    p_wait = erlang_c(agents, load)
    spare = agents - load
    return Performance(
        agents=agents,
        service_level=1 - p_wait * math.exp(-spare * traffic.within / traffic.aht),
        occupancy=load / agents,
        p_wait=p_wait,
        asa_seconds=p_wait * traffic.aht / spare,
        abandoned=0.0,
    )


def _erlang_a_performance(traffic: Traffic, agents: int) -> Performance:
    assert traffic.patience is not None
    arrival = traffic.per_hour / 3600
    service = 1 / traffic.aht
    giving_up = 1 / traffic.patience
    states = _stationary(arrival, service, giving_up, agents)
    waiting = states[agents:]  # an arrival finds j = 0, 1, ... waiting ahead of it
    # Ahead of a caller with m waiting before it, the queue moves at rate
    # N mu + m theta; the caller itself gives up at rate theta meanwhile.
    moves = [agents * service + m * giving_up for m in range(len(waiting))]
    served = []  # P(answered | j ahead)
    survive = 1.0
    for rate in moves:
        survive *= rate / (rate + giving_up)
        served.append(survive)
    within = _absorbed_within([rate + giving_up for rate in moves], traffic.within)
    mean_wait = []  # E[wait, answered | j ahead]
    total = 0.0
    for j, rate in enumerate(moves):
        total += 1 / (rate + giving_up)
        mean_wait.append(served[j] * total)
    p_wait = sum(waiting)
    answered_at_once = 1 - p_wait
    answered = answered_at_once + sum(p * s for p, s in zip(waiting, served, strict=True))
    answered_in_time = answered_at_once + sum(
        p * s * w for p, s, w in zip(waiting, served, within, strict=True)
    )
    waited = sum(p * w for p, w in zip(waiting, mean_wait, strict=True))
    return Performance(
        agents=agents,
        service_level=answered_in_time,
        occupancy=min(1.0, arrival * answered * traffic.aht / agents),
        p_wait=p_wait,
        asa_seconds=waited / answered if answered > 0 else math.inf,
        abandoned=1 - answered,
    )


def _stationary(arrival: float, service: float, giving_up: float, agents: int) -> list[float]:
    """The chance of each number in the system (0, 1, ...), cut where it is negligible."""
    weights = [1.0]
    k = 0
    peak = 1.0
    while True:
        k += 1
        leaving = min(k, agents) * service + max(k - agents, 0) * giving_up
        weight = weights[-1] * arrival / leaving
        weights.append(weight)
        peak = max(peak, weight)
        if k > agents and weight < TAIL * peak and leaving > arrival:
            break
        if weight > 1e250:  # rescale on the way up; only the ratios matter
            weights = [w / weight for w in weights]
            peak /= weight
    norm = math.fsum(weights)
    return [w / norm for w in weights]


def _absorbed_within(rates: list[float], seconds: float) -> list[float]:
    """For each j: the chance that stages of ``rates[j]``, ``rates[j-1]`` ... ``rates[0]``
    (exponential, one after another) are all done within ``seconds``.

    Uniformization: jumps come at the fastest rate, and a jump at stage m moves on
    with probability rate_m / fastest; the number of jumps by ``seconds`` is Poisson.
    """
    if not rates:
        return []
    if seconds <= 0:
        return [0.0] * len(rates)
    fastest = max(rates)
    mean = fastest * seconds
    last = int(mean + 12 * math.sqrt(mean) + 30)
    move = [rate / fastest for rate in rates]
    done = [0.0] * len(rates)  # P(all stages done within n jumps | start at stage j)
    result = [0.0] * len(rates)
    log_poisson = -mean  # log P(n jumps), n = 0
    for n in range(1, last + 1):
        previous = 1.0
        for j, p in enumerate(move):
            stay = done[j]
            done[j] = (1 - p) * stay + p * previous
            previous = stay
        log_poisson += math.log(mean / n)
        weight = math.exp(log_poisson)
        for j, value in enumerate(done):
            result[j] += weight * value
    return result
