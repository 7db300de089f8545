"""The traffic model: morning peak, channel mix, plausible requests."""

from __future__ import annotations

import json
import random
from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo

from ohjaus_tui.domain.intake import ContactRequest, parse_line
from ohjaus_tui.domain.traffic import TrafficModel, poisson_arrivals

HKI = ZoneInfo("Europe/Helsinki")


def test_arrivals_peak_in_the_morning_and_stop_at_closing() -> None:
    model = TrafficModel(per_day=3000)
    day = datetime(2025, 3, 4, tzinfo=HKI)  # a Tuesday
    arrivals = poisson_arrivals(model, random.Random(7), day, day.replace(hour=23, minute=59))
    by_hour = Counter(a.astimezone(HKI).hour for a in arrivals)
    assert 2500 < sum(by_hour[h] for h in range(9, 15)) < 3500
    assert by_hour[9] > by_hour[11] > by_hour[14]
    assert sum(by_hour[h] for h in (16, 17, 18, 19, 20)) < 60  # messages only


def test_requests_follow_the_channel_mix_and_parse_as_intake() -> None:
    model = TrafficModel()
    rng = random.Random(3)
    at = datetime(2025, 3, 4, 10, 0, tzinfo=HKI)
    channels: Counter[str] = Counter()
    for serial in range(4000):
        line = model.request(rng, at, serial)
        parsed = parse_line(json.dumps(line), now=at, zone=HKI)
        assert isinstance(parsed.event, ContactRequest)
        channels[line["channel"]] += 1
    assert abs(channels["phone"] / 4000 - 0.54) < 0.03
    assert abs(channels["chat"] / 4000 - 0.42) < 0.03
    assert abs(channels["message"] / 4000 - 0.04) < 0.015


def test_after_hours_only_messages_are_offered() -> None:
    model = TrafficModel()
    rng = random.Random(1)
    evening = datetime(2025, 3, 4, 19, 0, tzinfo=HKI)
    assert {model.channel_at(rng, evening).value for _ in range(200)} == {"message"}
