"""A service channel's hours from the national service catalogue (PTV): reading, open-now,
the next change, and their words."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from ohjaus_tui.domain.calendar import HELSINKI, is_public_holiday
from ohjaus_tui.domain.service_hours import PtvHoursError, ServiceHours
from ohjaus_tui.present.service_hours import hours_status, status_text, week_text
from ohjaus_tui.words import Texts
from ohjaus_tui.words.errors import reason_in

SAMPLE = Path(__file__).parents[2] / "docs" / "examples" / "ptv-sample" / "servicechannels"
LABORATORY = "0a4a5d1c-0703-43e8-b7c5-7185e1c95ae5"
"""Two items, Monday to Friday 12:00-14:30 and 12:00-13:00."""
SUMMER_TEXT_ONLY = "7fd3a666-279b-42d3-8217-119d457de590"
"""Weekly hours, and an exceptional item whose dates are only in its text."""


def at(text: str) -> datetime:
    """A wall time in Helsinki (``2024-12-04 13:00``), aware."""
    return datetime.fromisoformat(text).replace(tzinfo=HELSINKI)


def hour(day: str | None, opens: str, closes: str, until: str | None = "") -> dict[str, Any]:
    return {"dayFrom": day, "dayTo": until, "from": opens, "to": closes}


def item(*hours: dict[str, Any], kind: str = "DaysOfTheWeek", **fields: Any) -> dict[str, Any]:
    return {
        "serviceHourType": kind,
        "validFrom": None,
        "validTo": None,
        "isClosed": False,
        "validForNow": True,
        "additionalInformation": [],
        "openingHour": list(hours),
    } | fields


def exceptional(
    first: str | None, last: str | None = None, *hours: dict[str, Any], **fields: Any
) -> dict[str, Any]:
    return item(*hours, kind="Exceptional", validFrom=first, validTo=last, **fields)


OFFICE = item(hour("Monday", "08:00:00", "16:00:00", "Friday"))
"""Monday to Friday 8-16 (6.12.2024, Independence Day, is a Friday)."""


def channel(name: str) -> ServiceHours:
    document = json.loads((SAMPLE / f"{name}.json").read_text(encoding="utf-8"))
    return ServiceHours.from_ptv(document["serviceHours"])


# --- the sample -------------------------------------------------------------------------


def test_every_channel_of_the_sample_is_read_and_stored_alike() -> None:
    files = sorted(SAMPLE.glob("*.json"))
    assert len(files) == 322
    known = 0
    for path in files:
        document = json.loads(path.read_text(encoding="utf-8"))
        hours = ServiceHours.from_ptv(document.get("serviceHours") or [])
        assert ServiceHours.from_json(hours.to_json()) == hours, path.name
        known += hours.known
    assert known == 85  # the other channels (web pages, forms, ...) give no hours


def test_two_items_on_the_same_days_both_count() -> None:
    hours = channel(LABORATORY)
    ranges = [item.ranges for item in hours.weekly]
    assert ranges == [
        tuple((day, 12 * 60, 14 * 60 + 30) for day in range(5)),
        tuple((day, 12 * 60, 13 * 60) for day in range(5)),
    ]
    assert [item.info for item in hours.weekly] == [
        (("fi", "Naantalin laboratorion ajanvaraus"),),
        (("fi", "Rymättylän terveydenhoitajan ajanvaraus"),),
    ]
    assert hours.is_open(at("2024-12-04 13:15"))  # past the second item's end
    assert not hours.is_open(at("2024-12-04 14:30"))
    assert hours.next_change(at("2024-12-04 12:30")) == at("2024-12-04 14:30")
    assert week_text(hours, "fi") == "ma–pe 12.00–14.30"


def test_an_item_whose_dates_are_only_in_its_text_is_kept_as_a_note() -> None:
    hours = channel(SUMMER_TEXT_ONLY)
    assert hours.notes == (("fi", "2.5. - 31.8.2018"),)
    assert hours.exceptional == ()
    assert week_text(hours, "fi") == "ma–ti 9.00–17.00, ke–pe 9.00–16.00"
    assert hours.is_open(at("2018-06-05 16:30"))  # the note says nothing computable
    assert not hours.is_open(at("2018-06-06 16:30"))


# --- open now and the next change -----------------------------------------------------------


def test_a_public_holiday_closes_a_weekday_service() -> None:
    hours = ServiceHours.from_ptv([OFFICE])
    assert is_public_holiday(date(2024, 12, 6))
    assert hours.is_open(at("2024-12-05 10:00"))
    assert not hours.is_open(at("2024-12-06 10:00"))  # Independence Day, a Friday
    assert hours.next_change(at("2024-12-05 17:00")) == at("2024-12-09 08:00")
    assert hours.is_open(at("2024-12-06 10:00"), holidays=lambda day: False)


def test_a_seven_day_service_serves_on_holidays() -> None:
    hours = ServiceHours.from_ptv([item(hour("Monday", "08:00:00", "22:00:00", "Sunday"))])
    assert hours.is_open(at("2024-12-06 10:00"))
    assert hours.is_open(at("2024-12-25 21:59"))
    assert hours.next_change(at("2024-12-24 23:00")) == at("2024-12-25 08:00")


def test_an_exceptional_closed_day_and_one_open_on_a_holiday() -> None:
    closed = exceptional("2024-12-03T00:00:00", None, isClosed=True)  # a training day
    holiday = exceptional("2024-12-06T00:00:00", None, hour(None, "10:00:00", "12:00:00"))
    hours = ServiceHours.from_ptv([OFFICE, closed, holiday])
    assert not hours.is_open(at("2024-12-03 10:00"))
    assert hours.next_change(at("2024-12-02 15:00")) == at("2024-12-02 16:00")
    assert hours.next_change(at("2024-12-02 16:00")) == at("2024-12-04 08:00")
    assert hours.is_open(at("2024-12-06 11:00"))  # the exceptional item wins the holiday
    assert hours.next_change(at("2024-12-06 11:00")) == at("2024-12-06 12:00")


def test_an_exceptional_opening_on_a_sunday() -> None:
    sunday = exceptional("2024-12-08", "2024-12-08", hour("Sunday", "12:00:00", "15:00:00"))
    hours = ServiceHours.from_ptv([OFFICE, sunday])
    assert not hours.is_open(at("2024-12-01 13:00"))
    assert hours.is_open(at("2024-12-08 13:00"))
    assert hours.next_change(at("2024-12-07 09:00")) == at("2024-12-08 12:00")


def test_the_fewest_days_decide_where_exceptional_items_overlap() -> None:
    christmas = exceptional("2024-12-23T00:00:00Z", "2024-12-31T00:00:00Z", isClosed=True)
    one_day = exceptional("2024-12-27", None, hour(None, "09:00:00", "12:00:00"))
    hours = ServiceHours.from_ptv([OFFICE, christmas, one_day])
    # 2024-12-22T22:00Z is the 23rd in Helsinki; the period ends on the 31st.
    assert not hours.is_open(at("2024-12-23 10:00"))
    assert hours.next_change(at("2024-12-23 10:00")) == at("2024-12-27 09:00")
    assert hours.next_change(at("2024-12-27 10:00")) == at("2024-12-27 12:00")
    assert hours.next_change(at("2024-12-27 12:00")) == at("2025-01-02 08:00")


def test_a_dated_weekly_item_replaces_the_usual_hours_on_its_dates() -> None:
    summer = item(
        hour("Monday", "09:00:00", "12:00:00", "Friday"),
        validFrom="2025-06-02T00:00:00",
        validTo="2025-08-29T00:00:00",
    )
    hours = ServiceHours.from_ptv([OFFICE, summer])
    assert not hours.is_open(at("2025-07-01 13:00"))
    assert hours.is_open(at("2025-09-01 13:00"))
    assert hours.next_change(at("2025-08-29 12:00")) == at("2025-09-01 08:00")
    assert week_text(hours, "fi") == "ma–pe 8.00–16.00"  # the usual week


def test_a_range_over_midnight_belongs_to_its_day() -> None:
    hours = ServiceHours.from_ptv([item(hour("Friday", "22:00:00", "02:00:00"))])
    assert hours.is_open(at("2024-11-30 01:00"))  # Saturday
    assert not hours.is_open(at("2024-11-30 02:00"))
    assert hours.next_change(at("2024-11-30 01:00")) == at("2024-11-30 02:00")
    assert hours.next_change(at("2024-11-29 12:00")) == at("2024-11-29 22:00")
    assert week_text(hours, "en") == "Fri 22:00–2:00"


def test_an_over_midnight_span_runs_over_the_weekend() -> None:
    weekend = item(hour("Friday", "18:00:00", "08:00:00", "Monday"), kind="OverMidnight")
    hours = ServiceHours.from_ptv([weekend])
    assert hours.is_open(at("2024-11-30 12:00"))
    assert hours.next_change(at("2024-11-29 19:00")) == at("2024-12-02 08:00")
    assert not hours.is_open(at("2024-12-02 09:00"))
    assert week_text(hours, "fi") == "pe 18.00–ma 8.00"


def test_a_day_range_wraps_the_week() -> None:
    hours = ServiceHours.from_ptv([item(hour("Friday", "10:00:00", "14:00:00", "Monday"))])
    assert [day for day, _, _ in hours.weekly[0].ranges] == [4, 5, 6, 0]
    assert hours.is_open(at("2024-12-01 11:00"))  # Sunday
    assert not hours.is_open(at("2024-12-03 11:00"))  # Tuesday
    assert week_text(hours, "sv") == "mån, fre–sön 10.00–14.00"


def test_midnight_closings_and_a_whole_day() -> None:
    hours = ServiceHours.from_ptv(
        [
            item(hour("Monday", "18:00:00", "00:00:00")),
            item(hour("Tuesday", "20:00:00", "24:00:00")),
            item(hour("Wednesday", "00:00:00", "00:00:00")),
            item(hour("Thursday", "08:00:00", "23:59:59")),
        ]
    )
    assert [item.ranges for item in hours.weekly] == [
        ((0, 18 * 60, 24 * 60),),
        ((1, 20 * 60, 24 * 60),),
        ((2, 0, 24 * 60),),
        ((3, 8 * 60, 24 * 60),),
    ]
    assert hours.next_change(at("2024-12-03 21:00")) == at("2024-12-05 00:00")
    assert status_text(hours, at("2024-12-02 19:00"), "fi") == "auki nyt, sulkeutuu 24.00"


@pytest.mark.parametrize(
    ("moment", "is_open", "change"),
    [
        # spring forward: on Sunday 30.3.2025 the clock goes from 03:00 to 04:00
        # (Saturday's 03:30 does not exist: it is 04:30, when Sunday's hours begin)
        ("2025-03-30 01:00", True, "2025-03-31 00:00"),
        ("2025-03-29 21:00", False, "2025-03-29 22:00"),
        ("2025-03-30 05:00", True, "2025-03-31 00:00"),
        # fall back: on Sunday 26.10.2025 the clock goes from 04:00 back to 03:00
        ("2025-10-26 02:30", True, "2025-10-26 03:30"),
    ],
)
def test_daylight_saving_weekends(moment: str, is_open: bool, change: str) -> None:
    """Saturday 22-03:30 and Sunday 04:30-24:00: the same wall times, whatever the offset."""
    hours = ServiceHours.from_ptv(
        [
            item(hour("Saturday", "22:00:00", "03:30:00")),
            item(hour("Sunday", "04:30:00", "24:00:00")),
        ]
    )
    assert hours.is_open(at(moment)) is is_open
    assert hours.next_change(at(moment)) == at(change)


def test_daylight_saving_gap_and_repeated_hour() -> None:
    spring = ServiceHours.from_ptv([item(hour("Sunday", "03:30:00", "05:00:00"))])
    opening = spring.next_change(at("2025-03-30 01:00"))
    assert opening == datetime(2025, 3, 30, 1, 30, tzinfo=UTC)  # 03:30 is missing: 04:30 EEST
    autumn = ServiceHours.from_ptv([item(hour("Sunday", "02:00:00", "05:00:00"))])
    second_half_past_three = datetime(2025, 10, 26, 1, 30, tzinfo=UTC)  # 03:30 EET
    assert autumn.is_open(second_half_past_three)
    closing = autumn.next_change(at("2025-10-26 02:30"))
    assert closing == datetime(2025, 10, 26, 3, 0, tzinfo=UTC)  # four hours after opening
    opening = autumn.next_change(at("2025-10-25 12:00"))
    assert opening is not None and closing is not None
    assert closing.astimezone(UTC) - opening.astimezone(UTC) == timedelta(hours=4)


def test_always_open_and_an_exceptional_closing() -> None:
    always = ServiceHours.from_ptv([item(isAlwaysOpen=True)])
    assert always.always_open and always.is_open(at("2024-12-24 03:00"))
    assert always.next_change(at("2024-12-24 03:00")) is None
    closing = exceptional("2024-12-24", None, isClosed=True)
    hours = ServiceHours.from_ptv([item(isAlwaysOpen=True), closing])
    assert hours.next_change(at("2024-12-20 10:00")) == at("2024-12-24 00:00")
    assert hours.next_change(at("2024-12-24 10:00")) == at("2024-12-25 00:00")
    around_the_clock = ServiceHours.from_ptv(
        [item(hour("Monday", "00:00:00", "00:00:00", "Sunday"))]
    )
    assert around_the_clock.always_open
    assert around_the_clock.next_change(at("2024-12-24 10:00")) is None


def test_no_hours_never_change_and_are_not_known() -> None:
    for hours in (ServiceHours.from_ptv([]), ServiceHours.from_ptv(None)):  # type: ignore[arg-type]
        assert not hours.known
        assert not hours.is_open(at("2024-12-04 10:00"))
        assert hours.next_change(at("2024-12-04 10:00")) is None
    past = ServiceHours.from_ptv(
        [exceptional("2018-05-02", None, hour(None, "09:00:00", "12:00:00"))]
    )
    assert past.known and past.next_change(at("2024-12-04 10:00")) is None


def test_a_naive_instant_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        ServiceHours.from_ptv([OFFICE]).is_open(datetime(2024, 12, 4, 10))


# --- reading and storing ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("items", "field", "code"),
    [
        (
            [item(hour("Monday", "25:00:00", "16:00:00"))],
            "serviceHours[0].openingHour[0].from",
            "bad_time",
        ),
        (
            [item(hour("Monday", "08:00:00", "24:30:00"))],
            "serviceHours[0].openingHour[0].to",
            "bad_time",
        ),
        (
            [item(hour("Caturday", "08:00:00", "16:00:00"))],
            "serviceHours[0].openingHour[0].dayFrom",
            "bad_day",
        ),
        (
            [item(hour("", "08:00:00", "16:00:00"))],
            "serviceHours[0].openingHour[0].dayFrom",
            "no_day",
        ),
        ([OFFICE, item(isClosed="no")], "serviceHours[1].isClosed", "not_flag"),
        ([item(openingHour={"dayFrom": "Monday"})], "serviceHours[0].openingHour", "not_list"),
        ([item(validFrom="tomorrow")], "serviceHours[0].validFrom", "bad_date"),
        (
            [item(validFrom="2025-02-01", validTo="2025-01-01")],
            "serviceHours[0].validTo",
            "backwards",
        ),
        ([item(kind="Weekly")], "serviceHours[0].serviceHourType", "bad_type"),
        (["Monday 8-16"], "serviceHours[0]", "not_object"),
    ],
)
def test_what_cannot_be_read_is_named_with_its_field(
    items: list[Any], field: str, code: str
) -> None:
    with pytest.raises(PtvHoursError) as refused:
        ServiceHours.from_ptv(items)
    assert refused.value.field == field
    assert refused.value.reason.code == f"svchours.ptv.{code}"
    assert str(refused.value).startswith(f"{field}: ")
    assert reason_in(refused.value.reason, Texts("en")) == str(refused.value.reason)


def test_a_reason_is_worded_in_finnish() -> None:
    with pytest.raises(PtvHoursError) as refused:
        ServiceHours.from_ptv([item(hour("Monday", "25:00:00", "16:00:00"))])
    assert reason_in(refused.value.reason, Texts("fi")) == (
        "'25:00:00' ei ole kellonaika (HH:MM:SS, 00:00:00–24:00:00)"
    )


def test_the_stored_form_is_compact_stable_and_read_back() -> None:
    hours = ServiceHours.from_ptv(
        [
            OFFICE,
            exceptional("2024-12-24", "2024-12-26", isClosed=True),
            exceptional("2024-12-27", None, hour(None, "09:00:00", "12:00:00")),
            item(hour("Friday", "18:00:00", "08:00:00", "Monday"), kind="OverMidnight"),
            exceptional(None, None, additionalInformation=[{"value": "kesällä", "language": "fi"}]),
        ]
    )
    text = hours.to_json()
    assert " " not in text.replace("kesällä", "")
    assert text == ServiceHours.from_json(text).to_json()
    assert ServiceHours.from_json(text) == hours
    assert json.loads(text)["exceptional"][0] == {
        "first": "2024-12-24",
        "info": [],
        "last": "2024-12-26",
        "ranges": [],
    }
    with pytest.raises(ValueError, match="not stored service hours"):
        ServiceHours.from_json('{"v": 1, "weekly": [{}]}')
    with pytest.raises(ValueError, match="not a range"):
        ServiceHours.from_json(text.replace("[0,480,960]", "[0,960,480]"))


# --- words ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("fi", "ma–pe 8.00–16.00, la 10.00–14.00"),
        ("sv", "mån–fre 8.00–16.00, lör 10.00–14.00"),
        ("en", "Mon–Fri 8:00–16:00, Sat 10:00–14:00"),
    ],
)
def test_the_week_in_words(language: str, said: str) -> None:
    hours = ServiceHours.from_ptv([OFFICE, item(hour("Saturday", "10:00:00", "14:00:00"))])
    assert week_text(hours, language) == said


def test_the_week_with_two_ranges_a_day_and_no_hours() -> None:
    split = ServiceHours.from_ptv(
        [
            item(
                hour("Monday", "08:00:00", "12:00:00", "Friday"),
                hour("Monday", "13:00:00", "16:00:00", "Thursday"),
            )
        ]
    )
    assert week_text(split, "fi") == "ma–to 8.00–12.00 ja 13.00–16.00, pe 8.00–12.00"
    assert week_text(ServiceHours(), "sv") == "öppettiderna är inte kända"
    only_dates = ServiceHours.from_ptv(
        [exceptional("2024-12-27", None, hour(None, "09:00:00", "12:00:00"))]
    )
    assert week_text(only_dates, "en") == "no regular hours"
    assert week_text(ServiceHours.from_ptv([item(isAlwaysOpen=True)]), "fi") == "aina auki"


@pytest.mark.parametrize(
    ("moment", "language", "is_open", "said"),
    [
        ("2024-12-04 13:00", "fi", True, "auki nyt, sulkeutuu 16.00"),
        ("2024-12-04 13:00", "sv", True, "öppet nu, stänger 16.00"),
        ("2024-12-04 13:00", "en", True, "open now, closes 16:00"),
        ("2024-12-04 07:00", "fi", False, "suljettu, aukeaa klo 8.00"),
        ("2024-12-05 17:00", "fi", False, "suljettu, aukeaa ma 9.12. klo 8.00"),
        ("2024-12-05 17:00", "sv", False, "stängt, öppnar mån 9.12 kl. 8.00"),
        ("2024-12-05 17:00", "en", False, "closed, opens Mon 09/12 at 8:00"),
    ],
)
def test_the_status_in_words(moment: str, language: str, is_open: bool, said: str) -> None:
    status = hours_status(ServiceHours.from_ptv([OFFICE]), at(moment), language)
    assert (status.open, status.text) == (is_open, said)


def test_the_status_of_unknown_always_open_and_never_again() -> None:
    assert hours_status(ServiceHours(), at("2024-12-04 13:00"), "fi").open is None
    assert status_text(ServiceHours(), at("2024-12-04 13:00"), "fi") == (
        "aukioloajat eivät ole tiedossa"
    )
    always = ServiceHours.from_ptv([item(isAlwaysOpen=True)])
    assert status_text(always, at("2024-12-04 13:00"), "sv") == "alltid öppet"
    past = ServiceHours.from_ptv(
        [exceptional("2018-05-02", None, hour(None, "09:00:00", "12:00:00"))]
    )
    assert status_text(past, at("2024-12-04 13:00"), "en") == "closed"
    night = ServiceHours.from_ptv([item(hour("Friday", "22:00:00", "02:00:00"))])
    assert (
        status_text(night, at("2024-11-29 23:00"), "fi") == "auki nyt, sulkeutuu la 30.11. klo 2.00"
    )


def test_finnish_public_holidays_include_both_eves() -> None:
    assert is_public_holiday(date(2025, 6, 20))  # Midsummer Eve
    assert is_public_holiday(date(2025, 12, 24))  # Christmas Eve
    assert not is_public_holiday(date(2025, 12, 23))


def test_the_state_agrees_with_open_now_every_half_hour() -> None:
    """``state`` (open, next change) walks the open periods; ``is_open`` looks at the day
    alone: both say the same, and nothing changes before the next change."""
    hours = ServiceHours.from_ptv(
        [
            OFFICE,
            item(hour("Saturday", "22:00:00", "03:30:00")),
            item(hour("Sunday", "04:30:00", "06:00:00")),
            exceptional("2025-03-26", None, isClosed=True),
            exceptional("2025-04-05", None, hour(None, "10:00:00", "02:00:00")),
        ]
    )
    moment = at("2025-03-24 00:00")
    while moment < at("2025-04-08 00:00"):
        is_open, change = hours.state(moment)
        assert is_open is hours.is_open(moment), moment
        assert change is not None and change > moment
        before = change - timedelta(minutes=1)
        assert hours.is_open(before) is is_open and hours.is_open(change) is not is_open, moment
        moment += timedelta(minutes=30)
