"""PINs: checked for shape, stored only as a salted scrypt hash.

The stored form is ``scrypt$n$r$p$salt$hash`` (salt and hash in base64), so
the cost can be raised later and old hashes still verify. Comparing uses
:func:`hmac.compare_digest`; the PIN itself is never stored or logged.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from ohjaus_tui.domain.reasons import Reason, reason

MIN_DIGITS = 4
MAX_DIGITS = 12
SCHEME = "scrypt"
COST_N = 2**14
BLOCK_R = 8
PARALLEL_P = 1
SALT_BYTES = 16
HASH_BYTES = 32


def pin_problem(pin: str) -> Reason | None:
    """What is wrong with a new PIN (its code is the refusal's error code), or None."""
    if not pin.isascii() or not pin.isdigit():
        return reason("pin.digits_only", "a PIN is digits only")
    if not MIN_DIGITS <= len(pin) <= MAX_DIGITS:
        return reason(
            "pin.length", "a PIN has {least}-{most} digits", least=MIN_DIGITS, most=MAX_DIGITS
        )
    if len(set(pin)) == 1:
        return reason("pin.one_digit", "a PIN of one repeated digit is too easy to guess")
    return None


def hash_pin(pin: str, *, salt: bytes | None = None) -> str:
    salt = salt if salt is not None else secrets.token_bytes(SALT_BYTES)
    digest = _scrypt(pin, salt, COST_N, BLOCK_R, PARALLEL_P)
    return "$".join((SCHEME, str(COST_N), str(BLOCK_R), str(PARALLEL_P), _b64(salt), _b64(digest)))


def verify_pin(pin: str, stored: str | None) -> bool:
    """True when ``pin`` matches the stored hash; False for any malformed hash."""
    if not stored:
        return False
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != SCHEME:
            return False
        expected = base64.b64decode(digest, validate=True)
        actual = _scrypt(pin, base64.b64decode(salt, validate=True), int(n), int(r), int(p))
    except ValueError:
        return False
    return hmac.compare_digest(actual, expected)


def _scrypt(pin: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        pin.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=HASH_BYTES, maxmem=64 * 1024 * 1024
    )


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")
