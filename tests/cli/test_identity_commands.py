"""``ohjaus identity``: the identity proxy an admin trusts, its key checked when set."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from cryptography.x509.oid import NameOID
from sqlalchemy import Engine
from sqlmodel import Session, select

from ohjaus_tui.db.models import AuditEvent
from ohjaus_tui.domain.codes import Role
from ohjaus_tui.errors import NotAllowed
from ohjaus_tui.services.actor import Actor
from ohjaus_tui.services.identity import set_identity
from tests.cli.conftest import Invoke
from tests.proxy_keys import Proxy

LOGIN = "https://tunnistus.example/login"


def test_set_then_show_names_the_key_by_its_fingerprint(
    ohjaus: Invoke, engine: Engine, tmp_path: Path
) -> None:
    key = Proxy.new().key_file(tmp_path)

    result = ohjaus(
        "identity", "set", "--public-key", str(key), "--login-url", LOGIN,
        "--issuer", "https://tunnistus.example/idp", "--audience", "ohjaus-desk",
        "--minutes", "15",
    )  # fmt: skip
    shown = ohjaus("identity", "show")
    as_json = json.loads(ohjaus("identity", "show", "--format", "json").stdout)

    assert result.exit_code == 0, result.output
    assert "Identity proxy set: key fingerprint" in result.stdout
    assert as_json["algorithms"] == ["ES256"]
    assert as_json["login_url"] == LOGIN and as_json["minutes"] == 15
    assert as_json["audience"] == "ohjaus-desk"
    assert as_json["public_key"].startswith("-----BEGIN PUBLIC KEY-----")
    assert as_json["fingerprint"][:16] in result.stdout
    assert as_json["fingerprint"] in shown.stdout.replace("\n", "").replace(" ", "")
    assert "ohjaus-desk" in shown.stdout
    with Session(engine) as session:
        audit = session.exec(select(AuditEvent).where(AuditEvent.action == "identity.set")).one()
    detail = json.loads(audit.detail or "")
    assert detail["key"] == as_json["fingerprint"] and detail["minutes"] == 15
    assert "BEGIN" not in (audit.detail or "")


def test_show_without_a_proxy_says_how_to_set_one(ohjaus: Invoke) -> None:
    result = ohjaus("identity", "show", language="fi")

    assert result.exit_code == 0, result.output
    assert "Tunnistuspalvelua ei ole asetettu (ohjaus identity set)." in result.stdout
    assert ohjaus("identity", "show", "--format", "json").stdout.strip() == "null"


def test_a_certificate_gives_its_public_key(ohjaus: Invoke, tmp_path: Path) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "tunnistus.example")])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    path = tmp_path / "proxy.crt"
    path.write_bytes(certificate.public_bytes(Encoding.PEM))

    result = ohjaus("identity", "set", "--public-key", str(path), "--login-url", LOGIN)
    shown = json.loads(ohjaus("identity", "show", "--format", "json").stdout)

    assert result.exit_code == 0, result.output
    expected = key.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
    assert shown["public_key"] == expected.decode()
    assert "RS256" in shown["algorithms"] and "HS256" not in shown["algorithms"]


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (b"not a key at all", "The key file is not usable"),
        (
            b"-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
            "The key file is not usable",
        ),
        (
            rsa.generate_private_key(public_exponent=65537, key_size=1024)
            .public_key()
            .public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo),
            "The RSA key is too short (1024 bits): at least 2048 bits.",
        ),
    ],
    ids=["not-a-key", "cut-key", "short-rsa"],  # one name in every run (the key is new each time)
)
def test_a_bad_key_file_is_refused_and_nothing_is_set(
    ohjaus: Invoke, tmp_path: Path, content: bytes, said: str
) -> None:
    path = tmp_path / "proxy.pem"
    path.write_bytes(content)

    result = ohjaus("identity", "set", "--public-key", str(path), "--login-url", LOGIN)

    assert result.exit_code == 2
    assert said in result.stderr
    assert "Traceback" not in result.output
    assert ohjaus("identity", "show", "--format", "json").stdout.strip() == "null"


def test_a_missing_key_file_and_a_bad_login_address_are_refused(
    ohjaus: Invoke, tmp_path: Path
) -> None:
    missing = ohjaus(
        "identity", "set", "--public-key", str(tmp_path / "nope.pem"), "--login-url", LOGIN
    )
    key = str(Proxy.new().key_file(tmp_path))
    bad_url = ohjaus("identity", "set", "--public-key", key, "--login-url", "ftp://x.example")
    bad_minutes = ohjaus(
        "identity", "set", "--public-key", key, "--login-url", LOGIN, "--minutes", "0"
    )

    assert missing.exit_code == bad_url.exit_code == bad_minutes.exit_code == 2
    assert "cannot be read" in missing.stderr
    assert "The login address 'ftp://x.example' is not usable" in bad_url.stderr
    assert "An identification may last 1 to 480 minutes." in bad_minutes.stderr


def test_only_an_admin_sets_the_proxy(engine: Engine) -> None:
    with pytest.raises(NotAllowed):
        set_identity(
            engine,
            key_file=Proxy.new().public_pem,
            login_url=LOGIN,
            actor=Actor("Ohjaaja", role=Role.OPERATOR),
        )
