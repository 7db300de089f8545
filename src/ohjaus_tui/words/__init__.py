"""The program's words: gettext catalogues in Finnish, Swedish and English.

Any front end (the workstation, the command line, a gateway) and any
presenter of the services takes its words from here; this package imports
nothing else of ohjaus_tui, and Babel only once a text is needed.

Where the words live::

    words/babel.cfg                           what pybabel extract looks for
    words/locale/ohjaus.pot                   the template: every message id in use
    words/locale/<language>/LC_MESSAGES/ohjaus.po   one catalogue a language

Message ids are symbolic keys (``signin.title``, ``form.err.referral``), not
English source text: Finnish, not English, is the desk's first language and the
fallback for a message a catalogue lacks; a key stays put when a wording is
changed in any language, so no catalogue goes fuzzy for an English rewording;
one English word can mean two things that other languages tell apart
("Referral": the form's row ``form.referral``, "Jatko-ohjaus", and the column of
the day's contacts ``mine.referral``, "Ohjaus"); and an error code
(``claim.not_held``) is its own message id. The English catalogue is a
translation like the others.

The code names every id literally, so that ``pybabel extract`` finds each one
(``tests/unit/test_words_catalogues.py`` fails on an id used but not worded in
every catalogue, on a worded id nothing uses, and on languages naming different
``{values}``). After adding or removing an id::

    pybabel extract -F src/ohjaus_tui/words/babel.cfg --no-location --sort-output \\
        --omit-header -o src/ohjaus_tui/words/locale/ohjaus.pot src
    pybabel update -D ohjaus -i src/ohjaus_tui/words/locale/ohjaus.pot \\
        -d src/ohjaus_tui/words/locale --no-fuzzy-matching --ignore-obsolete \\
        --ignore-pot-creation-date

and write the new texts into each ``.po`` file. The catalogues are read as
they are (``catalogues.py``): nothing is compiled, so no step can be forgotten.
"""

from __future__ import annotations

from ohjaus_tui.words.catalogues import FALLBACK, Catalogues
from ohjaus_tui.words.errors import describe
from ohjaus_tui.words.texts import CATALOGUES, N_, Texts

__all__ = [
    "CATALOGUES",
    "FALLBACK",
    "N_",
    "Catalogues",
    "Texts",
    "describe",
    "language_of",
    "languages",
]


def languages() -> tuple[str, ...]:
    """The languages the program has words for, Finnish first."""
    return CATALOGUES.languages()


def language_of(code: str) -> str:
    """``code`` (``fi``, ``sv``, ...) when a catalogue speaks it; else ValueError
    naming the languages there are."""
    known = languages()
    code = str(code).strip().lower()
    if code not in known:
        raise ValueError(f"no words in {code!r}: the languages are {', '.join(known)}")
    return code
