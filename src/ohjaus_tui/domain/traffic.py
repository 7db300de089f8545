"""A model of a desk's incoming traffic, for the simulator and demos.

Arrivals follow a non-homogeneous Poisson process over the opening hours with
a morning peak; channels, caller types, reasons and languages are drawn in the
shares of a mid-sized county desk's year. The resident's words are composed from small
templates so that the operator sees something plausible; no real person is
in them.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from ohjaus_tui.domain.calendar import DeskCalendar, to_local
from ohjaus_tui.domain.codes import Channel

CHANNEL_SHARES = {Channel.PHONE: 0.54, Channel.CHAT: 0.42, Channel.MESSAGE: 0.04}
CALLER_SHARES = {"client": 0.66, "relative": 0.19, "professional": 0.05, "unknown": 0.10}
# Shares of contacts naming each reason (a contact may have several).
REASON_SHARES = {
    "health": 0.65,
    "social": 0.14,
    "appointment": 0.14,
    "contact_info": 0.07,
    "digital_support": 0.05,
    "own_documents": 0.03,
    "on_behalf": 0.04,
    "other": 0.03,
}
LANGUAGE_SHARES = {"fi": 0.90, "sv": 0.07, "en": 0.02, "other": 0.01}
# Relative intensity by local hour while open: the morning peak.
HOUR_WEIGHTS = {9: 1.7, 10: 1.4, 11: 1.0, 12: 0.8, 13: 0.6, 14: 0.5}
AFTER_HOURS_MESSAGE_WEIGHT = 0.15

_OPENINGS = {
    "fi": {
        "client": "Hei, ",
        "relative": "Hei, soitan äitini puolesta: ",
        "professional": "Hei, olen kotihoidon hoitaja ja ",
        "unknown": "Hei, ",
    },
    "sv": {
        "client": "Hej, ",
        "relative": "Hej, jag kontaktar er för min mammas räkning: ",
        "professional": "Hej, jag är hemvårdare och ",
        "unknown": "Hej, ",
    },
    "en": {
        "client": "Hello, ",
        "relative": "Hello, I am writing for my mother: ",
        "professional": "Hello, I am a home care nurse and ",
        "unknown": "Hello, ",
    },
}
_MATTERS = {
    "fi": {
        "health": "kuume on jatkunut kolme päivää, pitäisikö hakeutua vastaanotolle?",
        "social": "tarvitsisin neuvoa toimeentulotuen hakemiseen.",
        "appointment": "haluaisin siirtää laboratorioajan ensi viikolle.",
        "contact_info": "mikä on neuvolan puhelinnumero?",
        "digital_support": "en pääse kirjautumaan sähköiseen asiointiin.",
        "own_documents": "miten saan kopion omista potilastiedoistani?",
        "on_behalf": "miten voin asioida lapseni puolesta?",
        "other": "kenelle voisin antaa palautetta?",
    },
    "sv": {
        "health": "febern har hållit i sig i tre dagar, borde jag komma till mottagningen?",
        "social": "jag behöver råd om utkomststöd.",
        "appointment": "jag vill flytta min laboratorietid till nästa vecka.",
        "contact_info": "vilket är rådgivningens telefonnummer?",
        "digital_support": "jag kan inte logga in i e-tjänsten.",
        "own_documents": "hur får jag en kopia av mina journaler?",
        "on_behalf": "hur kan jag sköta ärenden för mitt barn?",
        "other": "vart kan jag ge respons?",
    },
    "en": {
        "health": "I have had a fever for three days, should I see a doctor?",
        "social": "I need advice on applying for social assistance.",
        "appointment": "I would like to move my lab appointment to next week.",
        "contact_info": "what is the phone number of the child health clinic?",
        "digital_support": "I cannot log in to the e-services.",
        "own_documents": "how do I get a copy of my own records?",
        "on_behalf": "how can I act on behalf of my child?",
        "other": "where can I give feedback?",
    },
}
FOLLOW_UPS = {
    "fi": ["Kiitos, selvä.", "Entä jos oireet pahenevat?", "Voinko varata ajan suoraan?"],
    "sv": ["Tack, det är klart.", "Och om symtomen blir värre?", "Kan jag boka tid direkt?"],
    "en": ["Thanks, understood.", "And if it gets worse?", "Can I book directly?"],
}


def _pick(rng: random.Random, shares: dict[Any, float]) -> Any:
    keys = list(shares)
    return rng.choices(keys, weights=[shares[k] for k in keys], k=1)[0]


@dataclass(frozen=True)
class TrafficModel:
    """Arrival intensity and the content of each arrival."""

    per_day: float = 120.0
    """Contacts in an ordinary business day at speed 1 (Soite: ~19; large counties ~500)."""
    calendar: DeskCalendar = field(default_factory=DeskCalendar)

    def rate_per_second(self, at: datetime) -> float:
        """Arrivals a second at ``at`` (all channels)."""
        local = to_local(at, self.calendar.tz)
        weight = HOUR_WEIGHTS.get(local.hour, 0.0)
        if not self.calendar.is_open(Channel.PHONE, at) and not self.calendar.is_open(
            Channel.CHAT, at
        ):
            weight = AFTER_HOURS_MESSAGE_WEIGHT * CHANNEL_SHARES[Channel.MESSAGE]
        elif weight == 0.0:
            weight = 1.0  # configured hours beyond the default 09-15
        mean_weight = sum(HOUR_WEIGHTS.values()) / len(HOUR_WEIGHTS)
        per_hour = self.per_day / len(HOUR_WEIGHTS)
        return per_hour * weight / mean_weight / 3600.0

    @property
    def peak_rate(self) -> float:
        return self.per_day / len(HOUR_WEIGHTS) * max(HOUR_WEIGHTS.values()) / 3600.0 * 1.6

    def channel_at(self, rng: random.Random, at: datetime) -> Channel:
        """A channel in the desk's shares, among those that take contacts now."""
        shares = {
            c: s
            for c, s in CHANNEL_SHARES.items()
            if c is Channel.MESSAGE or self.calendar.is_open(c, at)
        }
        return Channel(_pick(rng, shares))

    def request(self, rng: random.Random, at: datetime, serial: int) -> dict[str, Any]:
        """An intake line (as a platform would send it) for one arrival."""
        channel = self.channel_at(rng, at)
        caller = _pick(rng, CALLER_SHARES)
        language = _pick(rng, LANGUAGE_SHARES)
        reasons = [r for r, share in REASON_SHARES.items() if rng.random() < share] or ["health"]
        words = language if language in _MATTERS else "fi"
        text = _OPENINGS[words][caller] + " ".join(_MATTERS[words][r] for r in reasons[:2])
        line: dict[str, Any] = {
            "channel": channel.value,
            "received_at": at.isoformat(),
            "external_id": f"sim-{serial}-{rng.getrandbits(32):08x}",
            "language": language,
            "on_behalf": caller == "relative" and rng.random() < 0.6,
        }
        if channel is Channel.PHONE:
            prefix = rng.choice(("040", "044", "045", "046", "050"))
            line["phone"] = f"{prefix} {rng.randint(100, 999)} {rng.randint(1000, 9999)}"
        elif channel is Channel.CHAT:
            line["identified"] = "health" in reasons and rng.random() < 0.7
            line["text"] = text
        else:
            line["identified"] = True
            line["subject"] = text.split(":")[-1].split("?")[0].strip()[:60]
            line["text"] = text
        return line

    def follow_up(self, rng: random.Random, language: str) -> str:
        return rng.choice(FOLLOW_UPS.get(language, FOLLOW_UPS["fi"]))


def poisson_arrivals(
    model: TrafficModel, rng: random.Random, start: datetime, end: datetime, speed: float = 1.0
) -> Sequence[datetime]:
    """Arrival instants in [start, end) by thinning, ``speed`` times the model's rate."""
    ceiling = model.peak_rate * speed
    arrivals: list[datetime] = []
    now = start
    while True:
        now += timedelta(seconds=rng.expovariate(ceiling))
        if now >= end:
            return arrivals
        if rng.random() * ceiling <= model.rate_per_second(now) * speed:
            arrivals.append(now)
