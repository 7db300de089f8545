"""An identity proxy of the tests' own: a key pair, and assertions signed with it."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

HETU = "131052-308T"
"""The resident the proxy vouches for (a test identity code)."""
ISSUER = "https://tunnistus.example/idp"
AUDIENCE = "ohjaus-desk"


@dataclass(frozen=True)
class Proxy:
    private_key: ec.EllipticCurvePrivateKey

    @classmethod
    def new(cls) -> Proxy:
        return cls(ec.generate_private_key(ec.SECP256R1()))

    @property
    def public_pem(self) -> bytes:
        return self.private_key.public_key().public_bytes(
            Encoding.PEM, PublicFormat.SubjectPublicKeyInfo
        )

    def key_file(self, folder: Path) -> Path:
        path = folder / "proxy.pem"
        path.write_bytes(self.public_pem)
        return path

    def sign(self, *, lifetime: int = 300, **claims: Any) -> str:
        """An assertion for :data:`HETU` valid ``lifetime`` seconds from now; ``claims``
        add to or replace the usual ones (None drops one)."""
        now = int(time.time())
        body: dict[str, Any] = {
            "sub": HETU,
            "iss": ISSUER,
            "aud": AUDIENCE,
            "iat": now,
            "exp": now + lifetime,
            **claims,
        }
        return jwt.encode(
            {k: v for k, v in body.items() if v is not None}, self.private_key, algorithm="ES256"
        )
