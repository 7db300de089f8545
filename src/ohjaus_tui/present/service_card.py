"""A service's contact card, written into a reply in the resident's language.

One line (the reply box holds one): the service's name in the language (else
Finnish), its municipality, its phone number as dialled in Finland with the
usual hours of its phone line, and its web address, e.g.
``Mielenterveyspalvelut (Naantali): puh. 02 434 5111, ma–pe 8.00–16.00,
https://www.naantali.fi/...``. A service without hours as data gives the
directory's own hours text, if any.
"""

from __future__ import annotations

from ohjaus_tui.domain.phones import format_service_phone
from ohjaus_tui.present.service_hours import week_text
from ohjaus_tui.services.directory import StoredService
from ohjaus_tui.words import Texts


def card_text(service: StoredService, language: str) -> str:
    """The card of ``service`` in ``language`` (fi, sv or en)."""
    texts = Texts(language)
    record = service.record
    name = service.name(language)
    head = (
        texts("card.where", name=name, place=record.municipality) if record.municipality else name
    )
    parts: list[str] = []
    if record.phone:
        parts.append(texts("card.phone", number=format_service_phone(record.phone)))
    hours = service.hours
    if hours is not None and hours.known:
        parts.append(week_text(hours, language))
    elif record.hours:
        parts.append(record.hours)
    if record.url:
        parts.append(record.url)
    elif record.email:
        parts.append(record.email)
    if not parts:
        return head
    return texts("card.line", head=head, details=", ".join(parts))
