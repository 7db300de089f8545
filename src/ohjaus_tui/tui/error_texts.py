"""The services' refusals as the workstation says them: in Finnish, Swedish or English.

A service raises :class:`~ohjaus_tui.errors.OhjausError` with an English
message (what the CLI prints) and, where a workstation user can meet it, a
stable ``code`` with the values its wording names. :func:`describe` words the
code in the UI's language; an error without a code, or with one not worded
here, is shown in its English message. A ``channel`` value is a channel's
code and is shown by its label.
"""

from __future__ import annotations

from collections.abc import Callable

from ohjaus_tui.errors import OhjausError
from ohjaus_tui.tui.i18n import STRINGS

ERROR_TEXTS: dict[str, tuple[str, str, str]] = {
    # code: (fi, sv, en)
    # --- sign-in ---
    "signin.wrong_pin": ("Väärä PIN-koodi.", "Fel PIN-kod.", "Wrong PIN."),
    "signin.locked": (
        "{name}: liian monta väärää PIN-koodia. Yritä vartin päästä uudelleen tai pyydä "
        "pääkäyttäjältä uusi PIN-koodi.",
        "{name}: för många fel PIN-koder. Försök igen om en kvart eller be en "
        "administratör om en ny PIN-kod.",
        "{name}: too many wrong PINs. Try again in a quarter of an hour, or ask an admin "
        "for a new PIN.",
    ),
    "operator.deactivated": (
        "{name} on poistettu käytöstä.",
        "{name} har inaktiverats.",
        "{name} is deactivated.",
    ),
    "operator.inactive": (
        "Käyttäjää ei enää ole tai se on poistettu käytöstä. Kirjaudu uudelleen.",
        "Användaren finns inte längre eller har inaktiverats. Logga in igen.",
        "The operator no longer exists or has been deactivated. Sign in again.",
    ),
    "signon.both": STRINGS["signin.both"],
    # --- the database (nothing of the step was stored; the screen keeps what was typed) ---
    "storage.busy": (
        "Tietokanta on varattu juuri nyt: mitään ei tallennettu. Kirjoittamasi on tallessa; "
        "yritä hetken päästä uudelleen.",
        "Databasen är upptagen just nu: ingenting sparades. Det du skrev finns kvar; "
        "försök igen om en stund.",
        "The database is busy right now: nothing was saved. What you typed is kept; "
        "try again in a moment.",
    ),
    "storage.readonly": (
        "Tietokantaan ei voi kirjoittaa: mitään ei tallennettu. Ilmoita ylläpidolle.",
        "Databasen kan inte skrivas: ingenting sparades. Meddela administratören.",
        "The database cannot be written: nothing was saved. Tell the administrator.",
    ),
    "storage.full": (
        "Tietokannan levy on täynnä: mitään ei tallennettu. Ilmoita ylläpidolle.",
        "Databasens disk är full: ingenting sparades. Meddela administratören.",
        "The database's disk is full: nothing was saved. Tell the administrator.",
    ),
    "storage.failing": (
        "Tietokannan levy ei toimi: mitään ei tallennettu. Ilmoita ylläpidolle.",
        "Databasens disk fungerar inte: ingenting sparades. Meddela administratören.",
        "The database's disk is failing: nothing was saved. Tell the administrator.",
    ),
    "storage.unopenable": (
        "Tietokantaa ei saa auki: mitään ei tallennettu. Ilmoita ylläpidolle.",
        "Databasen kan inte öppnas: ingenting sparades. Meddela administratören.",
        "The database cannot be opened: nothing was saved. Tell the administrator.",
    ),
    "storage.damaged": (
        "Tietokanta on vioittunut: mitään ei tallennettu. Ilmoita ylläpidolle.",
        "Databasen är skadad: ingenting sparades. Meddela administratören.",
        "The database is damaged: nothing was saved. Tell the administrator.",
    ),
    "storage.gone": (
        "Yhteys tietokantaan katkesi: mitään ei tallennettu. Yritä uudelleen.",
        "Förbindelsen till databasen bröts: ingenting sparades. Försök igen.",
        "The connection to the database was lost: nothing was saved. Try again.",
    ),
    "storage.missing": (
        "Kirjaus viittaa johonkin, mitä ei enää ole (henkilö, yhteydenotto tai palvelu): "
        "mitään ei tallennettu.",
        "Registreringen hänvisar till något som inte längre finns (en person, en kontakt "
        "eller en tjänst): ingenting sparades.",
        "This refers to something that is gone (a person, a contact or a service): "
        "nothing was saved.",
    ),
    "text.hetu": (
        "Tekstissä on henkilötunnus: poista se. Henkilötunnuksia ei tallenneta.",
        "Texten innehåller en personbeteckning: ta bort den. Personbeteckningar sparas inte.",
        "The text holds a personal identity code: remove it. Identity codes are not stored.",
    ),
    "override.not_lead": STRINGS["override.not_lead"],
    # --- the queue ---
    "queue.not_signed_on": (
        "{name} ei ole kirjautunut kanavalle {channel}. Kirjaudu työpisteelle uudelleen.",
        "{name} är inte inloggad på kanalen {channel}. Logga in på arbetsstationen igen.",
        "{name} is not signed on to {channel}. Sign in to the workstation again.",
    ),
    "queue.no_item": (
        "Yhteydenottoa {item_id} ei löydy.",
        "Kontakten {item_id} finns inte.",
        "Contact request {item_id} is not found.",
    ),
    "claim.not_held": (
        "Yhteydenotto ei ole enää käsittelyssäsi: se on palannut jonoon, toinen on ottanut "
        "sen tai se on päättynyt.",
        "Du hanterar inte längre kontakten: den har gått tillbaka till kön, någon annan har "
        "tagit den eller den har avslutats.",
        "You no longer hold this contact: it went back to the queue, someone else took it, "
        "or it has ended.",
    ),
    "transfer.same": (
        "Yhteydenotto on jo kanavalla {channel}.",
        "Kontakten är redan på kanalen {channel}.",
        "The contact is already on {channel}.",
    ),
    "transfer.no_number": (
        "Takaisinsoittonumeroa ei ole, joten yhteydenottoa ei voi siirtää puhelinjonoon.",
        "Det finns inget nummer att ringa tillbaka till, så kontakten kan inte flyttas "
        "till telefonkön.",
        "There is no callback number, so the contact cannot go to the phone queue.",
    ),
    "transfer.to_chat": (
        "Chattiin ei voi siirtää: asiakas aloittaa chatin itse.",
        "Kontakten kan inte flyttas till chatten: kunden startar chatten själv.",
        "A contact cannot be moved into chat: the client starts a chat.",
    ),
    "callback.not_phone": (
        "Soittoyrityksen voi kirjata vain takaisinsoittopyyntöön.",
        "Ett uppringningsförsök registreras bara för en återuppringning.",
        "A callback attempt is recorded for a callback request only.",
    ),
    # --- chats and messages ---
    "reply.empty": ("Vastaus on tyhjä.", "Svaret är tomt.", "The reply is empty."),
    "reply.hetu": STRINGS["reply.hetu"],
    "reply.phone": (
        "Takaisinsoittopyyntöön ei kirjoiteta vastausta.",
        "En återuppringning besvaras inte skriftligt.",
        "A callback request has no written replies.",
    ),
    "identify.not_chat": (
        "Tunnistautumista pyydetään vain chatissa.",
        "Identifiering begärs bara i chatten.",
        "Identification is asked in a chat only.",
    ),
    "identify.already": (
        "Asiakas on jo tunnistautunut.",
        "Kunden har redan identifierat sig.",
        "The client is already identified.",
    ),
    # --- correcting a logged contact ---
    "contact.not_found": (
        "Kirjausta {contact_id} ei löydy.",
        "Registreringen {contact_id} finns inte.",
        "Contact {contact_id} is not found.",
    ),
    "contact.imported": (
        "Kirjaus {contact_id} on tuotu tiedostosta: tuotua historiaa ei korjata.",
        "Registreringen {contact_id} har importerats från en fil: importerad historik rättas inte.",
        "Contact {contact_id} was imported from a file: imported history is not edited.",
    ),
    "contact.not_yours": (
        "Kirjausta {contact_id} voi korjata vain sen kirjannut ohjaaja samana päivänä, "
        "tai esihenkilö.",
        "Registreringen {contact_id} kan rättas bara av den som gjorde den, samma dag, "
        "eller av en förman.",
        "Only the operator who logged contact {contact_id} may correct it, on the day it "
        "was logged (or a lead).",
    ),
}


def describe(error: OhjausError, language: str, label: Callable[[str, str], str]) -> str:
    """``error`` in ``language`` (``label``: a code list's label of a code, in it)."""
    wordings = ERROR_TEXTS.get(error.code or "")
    if wordings is None:
        return str(error)
    fi, sv, en = wordings
    wording = {"fi": fi, "sv": sv, "en": en}.get(language, fi)
    values = {
        name: label("channel", str(value)) if name == "channel" else value
        for name, value in error.params.items()
    }
    try:
        return wording.format(**values)
    except (KeyError, IndexError):  # a wording naming a value this error lacks
        return str(error)
