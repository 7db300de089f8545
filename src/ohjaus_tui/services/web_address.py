"""A web address an admin gives the desk (a platform's webhook, the identity proxy's
login page): checked before it is stored."""

from __future__ import annotations

from urllib.parse import urlsplit

from ohjaus_tui.errors import BadInput

LONGEST = 2000
"""The longest address taken."""


def checked_address(raw: str, *, code: str, fragment: bool = True) -> str:
    """``raw`` without surrounding space when it is an http(s) address with a host, no
    space in it and at most :data:`LONGEST` characters (and no ``#fragment`` unless
    ``fragment``); BadInput by ``code`` otherwise. (The caller refuses an identity code
    in it in its own words.)"""
    url = raw.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        raise BadInput(code=code, url=raw) from None
    if (
        parts.scheme not in ("https", "http")
        or not parts.hostname
        or (parts.fragment and not fragment)
        or len(url) > LONGEST
        or any(c.isspace() for c in url)
    ):
        raise BadInput(code=code, url=raw)
    return url
