"""A desk's past whose staffing needs are known, written as the queue would have left it.

Every business day from ``first`` to ``last``: in each hour 09-14, ``chats``
chats handled in ``chat_seconds`` each and ``callbacks`` callbacks in
``callback_seconds``; at 20:00, ``messages`` messages, answered the next
morning in ``message_seconds``. With the defaults (10 chats of 6 min, 12
callbacks of 5 min, 3 messages of 10 min) an ordinary business day needs:

- chat: 3 people an hour. The load is 1 erlang; Erlang C with 2 people
  answers 1 - (1/3) e^(-60/360) = 71.8 % within 60 s, with 3 people 93.5 %.
- phone: 2 people. An hour brings 3,600 s of calling; one person calls
  85 % of 3,600 s = 3,060 s.
- messages: 1 person for one hour (the day before's 1,800 s), in the
  calmest hour: all are alike, so the latest, 14-15.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, insert
from sqlmodel import Session

from ohjaus_tui.db.models import QueueItem
from ohjaus_tui.domain.calendar import HELSINKI, DeskCalendar
from ohjaus_tui.domain.codes import Channel, QueueStatus

CHAT_PEOPLE = 3
PHONE_PEOPLE = 2
OPEN_HOURS = range(9, 15)


def _item(channel: Channel, received: datetime, claimed: datetime, seconds: int) -> dict[str, Any]:
    return {
        "channel": channel.value,
        "received_at": received,
        "available_at": received,
        "status": QueueStatus.CLOSED.value,
        "claimed_at": claimed,
        "first_answered_at": claimed,
        "closed_at": claimed + timedelta(seconds=seconds),
        "close_reason": "handled",
        "updated_at": claimed + timedelta(seconds=seconds),
    }


def add_history(
    engine: Engine,
    first: date,
    last: date,
    *,
    chats: int = 10,
    callbacks: int = 12,
    messages: int = 3,
    chat_seconds: int = 360,
    callback_seconds: int = 300,
    message_seconds: int = 600,
    calendar: DeskCalendar | None = None,
) -> int:
    """Write the history; returns how many items it has."""
    calendar = calendar or DeskCalendar()
    rows: list[dict[str, Any]] = []
    day = first
    while day <= last:
        if calendar.is_business_day(day):
            for hour in OPEN_HOURS:
                for n in range(chats):
                    at = datetime(day.year, day.month, day.day, hour, tzinfo=HELSINKI)
                    received = at + timedelta(minutes=n * 60 // chats)
                    rows.append(_item(Channel.CHAT, received, received, chat_seconds))
                for n in range(callbacks):
                    at = datetime(day.year, day.month, day.day, hour, tzinfo=HELSINKI)
                    received = at + timedelta(minutes=n * 60 // callbacks)
                    called = received + timedelta(minutes=20)
                    rows.append(_item(Channel.PHONE, received, called, callback_seconds))
            for n in range(messages):
                received = datetime(day.year, day.month, day.day, 20, n, tzinfo=HELSINKI)
                answered = received + timedelta(hours=13)
                rows.append(_item(Channel.MESSAGE, received, answered, message_seconds))
        day += timedelta(days=1)
    with Session(engine) as session:
        session.execute(insert(QueueItem), rows)
        session.commit()
    return len(rows)
