"""The report's own words in Finnish, Swedish and English.

Code labels (channels, reasons ...) come from the code book; these are the
headings, column names and notes around them, the reason groups and the
weekdays. :func:`text` is the one way to them (it falls back to Finnish), so
that this module is all there is to change to translate them another way.
"""

from __future__ import annotations

from collections.abc import Mapping

LANGUAGES = ("fi", "sv", "en")

_TEXTS: Mapping[str, tuple[str, str, str]] = {
    # key: (fi, sv, en)
    "title": ("Yhteydenottojen tilasto", "Kontaktstatistik", "Contact statistics"),
    "period": ("Jakso", "Period", "Period"),
    "so_far": ("tähän mennessä", "hittills", "so far"),
    "time_zone": ("aikavyöhyke", "tidszon", "time zone"),
    "contacts": ("Yhteydenotot", "Kontakter", "Contacts"),
    "no_contacts": (
        "Jaksolla ei ole kirjattuja yhteydenottoja.",
        "Inga kontakter har loggats under perioden.",
        "No contacts were logged in this period.",
    ),
    "suppressed": (
        "Alle {n}:n lukumäärät näytetään muodossa <{n}.",
        "Antal under {n} visas som <{n}.",
        "Counts under {n} are shown as <{n}.",
    ),
    "code": ("koodi", "kod", "code"),
    "count": ("lkm", "antal", "count"),
    "share": ("osuus", "andel", "share"),
    "not_recorded": ("ei kirjattu", "ej registrerat", "not recorded"),
    "several_reasons": (
        "Yhteydenotolla voi olla useita syitä: osuudet voivat olla yhteensä yli 100 %.",
        "En kontakt kan ha flera orsaker: andelarna kan överstiga 100 %.",
        "A contact can have several reasons: the shares can add up to more than 100 %.",
    ),
    # breakdowns
    "channel": ("Kanava", "Kanal", "Channel"),
    "caller_type": ("Yhteydenottaja", "Kontakttagare", "Caller"),
    "reason": ("Yhteydenoton syy", "Orsak till kontakten", "Reason for the contact"),
    "reason_group": ("Syyryhmä", "Orsaksgrupp", "Reason group"),
    "referral": ("Jatko-ohjaus", "Vidare hänvisning", "Referral"),
    "referral_mode": ("Ohjauksen tapa", "Sätt att hänvisa", "How referred"),
    "referral_segment": (
        "Palvelualue, johon ohjattiin",
        "Serviceområde som hänvisades till",
        "Service area referred to",
    ),
    "referral_mode_base": (
        "osuus jatko-ohjatuista",
        "andel av dem som hänvisades vidare",
        "share of the contacts referred on",
    ),
    "referral_segment_base": (
        "osuus palvelualueelle ohjatuista",
        "andel av dem som hänvisades till ett serviceområde",
        "share of the contacts referred to a service area",
    ),
    "referral_service": (
        "Useimmin ohjattu palveluihin",
        "Oftast hänvisade till tjänsterna",
        "Services most often referred to",
    ),
    "segment": ("Asiakkaan palvelualue", "Klientens serviceområde", "Client's service area"),
    "level": ("Ohjauksen taso", "Handledningsnivå", "Guidance level"),
    "identification": ("Tunnistautuminen", "Identifiering", "Identification"),
    "language": ("Asiointikieli", "Språk", "Language"),
    "flags": ("Muut tiedot", "Övriga uppgifter", "Other details"),
    "on_behalf": ("Toisen puolesta", "För någon annans räkning", "On behalf of another"),
    "resolved_first_contact": (
        "Ratkesi ensimmäisellä yhteydenotolla",
        "Löstes vid första kontakten",
        "Resolved in the first contact",
    ),
    "many_services": (
        "Paljon palveluja tarvitseva (yhteisasiakas)",
        "Behöver många tjänster (gemensam klient)",
        "Needs many services (shared client)",
    ),
    "reason_group.health": ("Terveydelliset", "Hälsorelaterade", "Health"),
    "reason_group.social": ("Sosiaaliset", "Sociala", "Social"),
    "reason_group.other": ("Muut", "Övriga", "Other"),
    # feedback
    "feedback": ("Asiakaspalaute", "Kundrespons", "Feedback"),
    "responses": ("Vastauksia", "Svar", "Responses"),
    "mean_score": ("Arvosanan keskiarvo (1–5)", "Medelbetyg (1–5)", "Mean score (1-5)"),
    "helped": ("Tuli autetuksi", "Fick hjälp", "Helped"),
    # service level
    "service_level": ("Palvelutaso", "Servicenivå", "Service level"),
    "offered": ("Saapuneet", "Inkomna", "Offered"),
    "answered": ("Vastatut", "Besvarade", "Answered"),
    "abandoned": ("Keskeytyneet", "Avbrutna", "Abandoned"),
    "answered_share": ("Vastattu", "Besvarat", "Answered, share"),
    "median_wait": ("Odotus, mediaani", "Väntetid, median", "Wait, median"),
    "p90_wait": ("Odotus, 90 %", "Väntetid, 90 %", "Wait, 90th percentile"),
    "callbacks.first_attempt": (
        "Takaisinsoitto tavoitti ensimmäisellä yrityksellä",
        "Återuppringningen nådde klienten vid första försöket",
        "Callbacks reached on the first attempt",
    ),
    "callbacks.by_due": (
        "Takaisinsoitto samana päivänä (määräaikaan mennessä)",
        "Återuppringt samma dag (inom tidsfristen)",
        "Called back the same day (by the deadline)",
    ),
    "messages.in_time": (
        "Viesteihin vastattu viimeistään seuraavana arkipäivänä",
        "Meddelanden besvarade senast följande vardag",
        "Messages answered by the end of the next business day",
    ),
    # weekday x hour
    "weekday_hour": (
        "Yhteydenotot viikonpäivän ja kellonajan mukaan",
        "Kontakter per veckodag och timme",
        "Contacts by weekday and hour",
    ),
    "weekday": ("viikonpäivä", "veckodag", "weekday"),
    "hour": ("tunti", "timme", "hour"),
    "weekday.mon": ("ma", "mån", "Mon"),
    "weekday.tue": ("ti", "tis", "Tue"),
    "weekday.wed": ("ke", "ons", "Wed"),
    "weekday.thu": ("to", "tor", "Thu"),
    "weekday.fri": ("pe", "fre", "Fri"),
    "weekday.sat": ("la", "lör", "Sat"),
    "weekday.sun": ("su", "sön", "Sun"),
    "scale": ("asteikko", "skala", "scale"),
    # comparison
    "comparison": (
        "Muutos edelliseen jaksoon",
        "Förändring jämfört med föregående period",
        "Change against the previous period",
    ),
    "current": ("Nyt", "Nu", "Now"),
    "previous": ("Edellinen", "Föregående", "Previous"),
    "change": ("Muutos", "Förändring", "Change"),
    "metric.contacts": ("Yhteydenotot", "Kontakter", "Contacts"),
    "metric.channel": ("Yhteydenotot: {label}", "Kontakter: {label}", "Contacts: {label}"),
    "metric.referred": ("Jatko-ohjattujen osuus", "Andel hänvisade", "Share referred"),
    "metric.resolved_first_contact": (
        "Ratkesi ensimmäisellä yhteydenotolla",
        "Löstes vid första kontakten",
        "Resolved in the first contact",
    ),
    "metric.feedback.mean_score": ("Palautteen keskiarvo", "Medelbetyg", "Mean feedback score"),
    "metric.feedback.share_helped": ("Tuli autetuksi", "Fick hjälp", "Helped"),
    "metric.answered": ("Vastattu: {label}", "Besvarat: {label}", "Answered: {label}"),
    "metric.callbacks.first_attempt": (
        "Takaisinsoitto tavoitti 1. yrityksellä",
        "Återuppringning nådde vid 1:a försöket",
        "Callback reached on 1st attempt",
    ),
    "metric.callbacks.by_due": (
        "Takaisinsoitto samana päivänä",
        "Återuppringt samma dag",
        "Called back the same day",
    ),
    "metric.messages.in_time": (
        "Viestit vastattu ajallaan",
        "Meddelanden besvarade i tid",
        "Messages answered in time",
    ),
    "pp": ("%-yks.", "%-enh.", "pp"),
    "minutes": ("min", "min", "min"),
    "hours_short": ("h", "h", "h"),
}


def text(key: str, language: str, **values: object) -> str:
    """The report's text ``key`` in ``language`` (fi, sv, en; else Finnish)."""
    texts = _TEXTS[key]
    index = LANGUAGES.index(language) if language in LANGUAGES else 0
    template = texts[index]
    return template.format(**values) if values else template


def keys() -> frozenset[str]:
    """Every text key (for tests: each has three non-empty translations)."""
    return frozenset(_TEXTS)


def translations(key: str) -> tuple[str, str, str]:
    return _TEXTS[key]
