"""Identification delegated to the county's identity proxy (Suomi.fi e-identification in
production): its settings, the check of its signed assertion, and the resident's
"identified" mark.

The proxy vouches for a resident with a JWT signed by its private key; the desk holds
the public key (``ohjaus identity set``) and checks the signature, the expiry (``exp``,
required), ``nbf`` when the assertion has one, and the issuer and audience when the
desk names them. The assertion names the person (``sub``: an identity code, often a
henkilötunnus): the desk reads no claim but the times, the issuer and the audience,
and keeps, audits and logs only "identified: yes".

The browser then carries a mark of its own: an expiry and a random nonce, signed with
the desk's ``identity`` secret (HMAC-SHA256), so that any worker can check it and
none keeps a session. PyJWT and ``cryptography`` load only when a key or an assertion
is read: ``ohjaus --help`` does not pay for them.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session

from ohjaus_tui.db import secrets as desk_secrets
from ohjaus_tui.db import settings as desk_settings
from ohjaus_tui.db.assertions import use_assertion
from ohjaus_tui.db.audit import record
from ohjaus_tui.db.engine import write_session
from ohjaus_tui.domain.calendar import utcnow
from ohjaus_tui.domain.codes import Role
from ohjaus_tui.errors import BadInput, refuse_identity_code
from ohjaus_tui.services.actor import Actor
from ohjaus_tui.services.web_address import checked_address
from ohjaus_tui.words import N_

LOG = logging.getLogger("ohjaus.identity")

ACTION = N_("ident.action")
"""What an admin's role is needed for, in the words of a refusal."""
SETTING = "identity"
"""The ``desk_setting`` that holds the proxy's settings."""
SECRET = "identity"
"""The ``desk_secret`` that keys the browsers' marks."""
RESIDENT = "web:resident"
DEFAULT_MINUTES = 30
MAX_MINUTES = 8 * 60
LEEWAY = timedelta(seconds=30)
"""How far the proxy's clock may be from the desk's."""
MAX_ASSERTION = 16_000
"""The most characters an assertion may have."""
MAX_KEY_FILE = 64_000
MIN_RSA_BITS = 2048
TEXT_LENGTH = 300

_CURVES = {"secp256r1": "ES256", "secp384r1": "ES384", "secp521r1": "ES512"}
_RSA = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512")


@dataclass(frozen=True)
class IdentityProxy:
    """The proxy as the desk knows it."""

    public_key: str
    """The public key, PEM (SubjectPublicKeyInfo)."""
    algorithms: tuple[str, ...]
    """The signatures the key can make: the only ones accepted."""
    login_url: str
    minutes: int
    """How long a resident stays identified on the desk's pages."""
    issuer: str | None = None
    audience: str | None = None

    @property
    def fingerprint(self) -> str:
        """The SHA-256 of the key's PEM, in hex: how ``identity show`` names the key."""
        return hashlib.sha256(self.public_key.encode("ascii")).hexdigest()


class Refusal(StrEnum):
    """Why an assertion does not identify anyone."""

    NOT_SET = "not_set"
    EXPIRED = "expired"
    NOT_YET = "not_yet"
    SIGNATURE = "signature"
    AUDIENCE = "audience"
    ISSUER = "issuer"
    MALFORMED = "malformed"
    USED = "used"
    """The assertion identified a browser before: each one serves once."""


@dataclass(frozen=True)
class Identified:
    """A browser's new mark: the cookie's value and how long it lasts."""

    mark: str
    seconds: int


# --- the settings -------------------------------------------------------------------


def read_public_key(data: bytes) -> tuple[str, tuple[str, ...]]:
    """The PEM public key in ``data`` (a public key, or a certificate's), and the
    algorithms it signs with; BadInput ``ident.bad_key`` for anything else."""
    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
    from cryptography.hazmat.primitives.serialization import (
        Encoding,
        PublicFormat,
        load_pem_public_key,
    )

    if len(data) > MAX_KEY_FILE or b"-----BEGIN " not in data:
        raise BadInput(code="ident.bad_key")
    try:
        if b"-----BEGIN CERTIFICATE-----" in data:
            key: Any = x509.load_pem_x509_certificate(data).public_key()
        else:
            key = load_pem_public_key(data)
    except (ValueError, TypeError):
        raise BadInput(code="ident.bad_key") from None
    if isinstance(key, rsa.RSAPublicKey):
        if key.key_size < MIN_RSA_BITS:
            raise BadInput(code="ident.weak_key", bits=key.key_size, least=MIN_RSA_BITS)
        algorithms: tuple[str, ...] = _RSA
    elif isinstance(key, ec.EllipticCurvePublicKey) and key.curve.name in _CURVES:
        algorithms = (_CURVES[key.curve.name],)
    elif isinstance(key, ed25519.Ed25519PublicKey):
        algorithms = ("EdDSA",)
    else:
        raise BadInput(code="ident.key_kind")
    pem = key.public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo).decode("ascii")
    return pem, algorithms


def checked_login_url(raw: str) -> str:
    url = checked_address(raw, code="ident.bad_login_url", fragment=False)
    refuse_identity_code(url, code="ident.hetu", field="login-url")
    return url


def _checked_text(raw: str | None, field: str) -> str | None:
    if raw is None or not raw.strip():
        return None
    text = raw.strip()
    if len(text) > TEXT_LENGTH or not text.isprintable():
        raise BadInput(code="ident.bad_text", field=field, most=TEXT_LENGTH)
    refuse_identity_code(text, code="ident.hetu", field=field)
    return text


def set_identity(
    engine: Engine,
    *,
    key_file: bytes,
    login_url: str,
    issuer: str | None = None,
    audience: str | None = None,
    minutes: int = DEFAULT_MINUTES,
    actor: Actor,
) -> IdentityProxy:
    """Trust the proxy whose public key ``key_file`` holds (admin); audited, with the
    key's fingerprint. Replaces what the desk had."""
    actor.require(Role.ADMIN, ACTION)
    if not 1 <= minutes <= MAX_MINUTES:
        raise BadInput(code="ident.bad_minutes", most=MAX_MINUTES)
    pem, algorithms = read_public_key(key_file)
    proxy = IdentityProxy(
        public_key=pem,
        algorithms=algorithms,
        login_url=checked_login_url(login_url),
        minutes=minutes,
        issuer=_checked_text(issuer, "issuer"),
        audience=_checked_text(audience, "audience"),
    )
    with write_session(engine) as session:
        desk_settings.put_setting(
            session=session, name=SETTING, value=json.dumps(asdict(proxy), sort_keys=True)
        )
        record(
            session=session,
            actor=actor.name,
            operator_id=actor.operator_id,
            action="identity.set",
            entity="desk_setting",
            entity_id=SETTING,
            detail={
                "key": proxy.fingerprint,
                "algorithms": ",".join(algorithms),
                "login_url": proxy.login_url,
                "issuer": proxy.issuer or "",
                "audience": proxy.audience or "",
                "minutes": minutes,
            },
        )
    return proxy


def identity_proxy(engine: Engine) -> IdentityProxy | None:
    """The proxy the desk trusts; None until an admin sets one."""
    with Session(engine) as session:
        stored = desk_settings.get_setting(session=session, name=SETTING)
    if stored is None:
        return None
    values = json.loads(stored)
    values["algorithms"] = tuple(values["algorithms"])
    return IdentityProxy(**values)


def show_identity(engine: Engine, *, actor: Actor) -> IdentityProxy | None:
    """The proxy the desk trusts (admin)."""
    actor.require(Role.ADMIN, ACTION)
    return identity_proxy(engine)


# --- the assertion ------------------------------------------------------------------


def check_assertion(proxy: IdentityProxy, assertion: str) -> Refusal | None:
    """None when the proxy signed ``assertion`` and it holds now, else why not. The
    claims are read for the check alone: nothing of them is returned."""
    import jwt

    if not assertion or len(assertion) > MAX_ASSERTION:
        return Refusal.MALFORMED
    try:
        jwt.decode(
            assertion,
            proxy.public_key,
            algorithms=list(proxy.algorithms),
            audience=proxy.audience,
            issuer=proxy.issuer,
            leeway=LEEWAY,
            options={
                "require": ["exp", "sub"],
                "verify_aud": proxy.audience is not None,
                "verify_iss": proxy.issuer is not None,
            },
        )
    except jwt.ExpiredSignatureError:
        return Refusal.EXPIRED
    except jwt.ImmatureSignatureError:
        return Refusal.NOT_YET
    except jwt.InvalidAudienceError:
        return Refusal.AUDIENCE
    except jwt.InvalidIssuerError:
        return Refusal.ISSUER
    except (jwt.InvalidSignatureError, jwt.InvalidAlgorithmError):
        return Refusal.SIGNATURE
    except jwt.InvalidTokenError:  # not a JWT, a claim missing or of the wrong kind
        return Refusal.MALFORMED
    return None


def _expiry(assertion: str) -> datetime:
    """When an assertion that :func:`check_assertion` passed expires (its ``exp``, with
    the leeway it was checked with)."""
    import jwt

    claims = jwt.decode(assertion, options={"verify_signature": False})
    return datetime.fromtimestamp(int(claims["exp"]), UTC) + LEEWAY


def identify(
    engine: Engine, assertion: str, *, now: datetime | None = None
) -> Identified | Refusal:
    """The browser's mark when the proxy's ``assertion`` identifies a resident, else
    why not. Audited and logged either way, as "identified: yes" or the refusal's
    reason: never a claim of the assertion."""
    proxy = identity_proxy(engine)
    refusal = Refusal.NOT_SET if proxy is None else check_assertion(proxy, assertion)
    now = now or utcnow()
    with write_session(engine) as session:
        if refusal is None and not use_assertion(
            session=session,
            digest=hashlib.sha256(assertion.encode("ascii", "replace")).hexdigest(),
            expires_at=_expiry(assertion),
            now=now,
        ):
            refusal = Refusal.USED
        if refusal is None:
            record(
                session=session,
                actor=RESIDENT,
                action="resident.identified",
                detail={"identified": "yes"},
            )
        else:
            record(
                session=session,
                actor=RESIDENT,
                action="resident.identification_refused",
                detail={"reason": refusal.value},
            )
    if refusal is not None or proxy is None:
        LOG.info("identification refused: %s", refusal)
        return refusal or Refusal.NOT_SET
    LOG.info("identified: yes")
    seconds = proxy.minutes * 60
    mark = mark_for(identity_secret(engine), now=now, seconds=seconds)
    return Identified(mark, seconds)


# --- the browser's mark -------------------------------------------------------------


def identity_secret(engine: Engine) -> bytes:
    """The key of the browsers' marks, made when the first is needed."""
    return desk_secrets.desk_secret(engine, SECRET)


def _mac(secret: bytes, body: str) -> str:
    return hmac.new(secret, body.encode("ascii"), hashlib.sha256).hexdigest()


def mark_for(secret: bytes, *, now: datetime, seconds: int) -> str:
    """A mark that says "identified" until ``seconds`` from ``now``."""
    body = f"{int(now.timestamp()) + seconds}.{secrets.token_urlsafe(12)}"
    return f"{body}.{_mac(secret, body)}"


def mark_holds(secret: bytes, mark: str, *, now: datetime) -> bool:
    """True when ``mark`` is one of the desk's and has not expired."""
    body, _, signature = mark.rpartition(".")
    expires, _, _nonce = body.partition(".")
    if not expires.isdigit() or len(mark) > 200 or not mark.isascii():
        return False
    if not hmac.compare_digest(_mac(secret, body), signature):
        return False
    return now.timestamp() < int(expires)
