"""Recognising a contact that comes again: a keyed hash of the callback number.

"One contact is enough": a resident who has to call again within a week is the
failure demand the desk wants to see. The desk recognises the number without
keeping it any longer than it keeps the number itself: each queue item holds
an HMAC-SHA256 of its normalised (E.164) callback number under a secret of the
desk (``desk_secret``), and the purge clears that hash with the number.

Keyed, because an unkeyed hash of a phone number is no protection: there are
few enough numbers to hash them all. Without the desk's secret the stored
hashes name no one, and two desks' hashes of one number differ.

The window is :data:`REPEAT_WINDOW`, 7 x 24 hours back from the new item's
arrival (not local calendar days: the same span at any hour and across the
change of daylight saving time). Identified chats carry no stable key of the
resident yet, so only contacts with a callback number are recognised.

Pure: no I/O; the secret is the caller's.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta

REPEAT_WINDOW = timedelta(days=7)
"""How far back an earlier contact from the same number makes a new one a repeat."""
SECRET_BYTES = 32
"""The length of the desk's secret (the HMAC-SHA256 block's worth of key is 64; 32 is ample)."""
_PHONE = b"phone:"
"""What is hashed is prefixed by its kind, so that a later key of another kind never
collides with a number's."""


def repeat_key(secret: bytes, e164: str) -> str:
    """The keyed hash of a callback number (E.164, as ``domain/phones.py`` normalises it)."""
    if len(secret) < SECRET_BYTES:
        raise ValueError("the desk's secret is too short")
    return hmac.new(secret, _PHONE + e164.encode("ascii"), hashlib.sha256).hexdigest()


def times_this_week(earlier_contacts: int | None) -> int | None:
    """How many times the resident has contacted the desk in the window, this one included;
    None when this is the only one (or the item had no number to recognise)."""
    if not earlier_contacts:
        return None
    return earlier_contacts + 1
