"""The handling view for an item's channel."""

from __future__ import annotations

from ohjaus_tui.db.models import QueueItem
from ohjaus_tui.domain.codes import Channel
from ohjaus_tui.tui.screens.chat import ChatScreen
from ohjaus_tui.tui.screens.handling import HandlingScreen
from ohjaus_tui.tui.screens.message import MessageScreen
from ohjaus_tui.tui.screens.phone import PhoneScreen


def handling_screen(item: QueueItem) -> HandlingScreen:
    views: dict[str, type[HandlingScreen]] = {
        Channel.PHONE.value: PhoneScreen,
        Channel.CHAT.value: ChatScreen,
        Channel.MESSAGE.value: MessageScreen,
    }
    return views[item.channel](item)
