"""The catalogues word every message id the code uses, and no other, alike in each language.

The ids in use are what ``pybabel extract`` finds with ``words/babel.cfg``:
an id the code builds at run time would be found by nobody, so a text call
whose id is not written out is refused too.
"""

from __future__ import annotations

import ast
import shutil
import string
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

import ohjaus_tui
from ohjaus_tui.words import CATALOGUES, Catalogues, Texts, languages
from ohjaus_tui.words.catalogues import LOCALE_DIR

PACKAGE = Path(ohjaus_tui.__file__).parent
BABEL_CFG = PACKAGE / "words" / "babel.cfg"
SHIPPED = ("fi", "sv", "en")
TEXT_CALLS = frozenset({"texts", "t", "plural", "N_"})
"""The names ``babel.cfg`` (and Babel's defaults) extract from."""


def _used(capsys: pytest.CaptureFixture[str]) -> dict[str, bool]:
    """Each message id the code uses: True where it is used with a count (a plural)."""
    with BABEL_CFG.open(encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)  # type: ignore[no-untyped-call]
    used: dict[str, bool] = {}
    for filename, lineno, message, _, _ in extract_from_dir(PACKAGE, method_map, options_map):
        key, plural = (message, False) if isinstance(message, str) else (message[0], True)
        assert used.setdefault(key, plural) == plural, f"{filename}:{lineno}: {key} both ways"
    warnings = capsys.readouterr().err
    assert "warning" not in warnings, warnings  # e.g. an f-string as a text's id
    assert used, "nothing extracted: has babel.cfg changed?"
    return used


def _catalogue(path: Path) -> Catalog:
    with path.open("rb") as file:
        return read_po(file, abort_invalid=True)


def _key(message: Message) -> str:
    return message.id if isinstance(message.id, str) else message.id[0]


def _forms(catalog: Catalog) -> dict[str, tuple[str, ...] | str]:
    """A catalogue's texts by id: a plural message's forms as a tuple."""
    found: dict[str, tuple[str, ...] | str] = {}
    for message in catalog:
        if message.id:
            text = message.string
            found[_key(message)] = text if isinstance(text, str) else tuple(text or ())
    return found


def _names(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_the_program_ships_finnish_swedish_and_english() -> None:
    assert set(SHIPPED) <= set(languages())
    assert languages()[0] == "fi"


@pytest.mark.parametrize("language", SHIPPED)
def test_every_message_id_in_use_is_worded(
    language: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each id the code uses has its text (or all its plural forms), none fuzzy."""
    used = _used(capsys)
    catalog = _catalogue(CATALOGUES.path(language))
    worded = {_key(message): message for message in catalog if message.id}
    missing = sorted(set(used) - set(worded))
    assert missing == [], f"{language}: used but not in the catalogue"
    for key, plural in used.items():
        message = worded[key]
        assert not message.fuzzy, (language, key, "fuzzy")
        if plural:
            assert isinstance(message.string, tuple | list), (language, key, "not plural")
            assert len(message.string) == catalog.num_plurals, (language, key)
            assert all(message.string), (language, key, "a plural form is empty")
        else:
            assert isinstance(message.string, str), (language, key, "plural, used without count")
            assert message.string, (language, key, "empty")


@pytest.mark.parametrize("language", SHIPPED)
def test_no_catalogue_words_an_id_nothing_uses(
    language: str, capsys: pytest.CaptureFixture[str]
) -> None:
    used = _used(capsys)
    dead = sorted(set(_forms(_catalogue(CATALOGUES.path(language)))) - set(used))
    assert dead == [], f"{language}: worded, but no code uses it"


def test_the_template_lists_the_ids_in_use(capsys: pytest.CaptureFixture[str]) -> None:
    """``ohjaus.pot`` is what ``pybabel extract`` writes now (see words/__init__.py)."""
    used = _used(capsys)
    template = _forms(_catalogue(CATALOGUES.template))
    assert {key: isinstance(text, tuple) for key, text in template.items()} == used


def test_each_language_names_the_same_values() -> None:
    """A text fills in the same ``{values}`` in every language (and in each plural form)."""
    worded = {language: _forms(_catalogue(CATALOGUES.path(language))) for language in SHIPPED}
    differing = []
    for key in worded["fi"]:
        texts = [worded[language].get(key, ()) for language in SHIPPED]  # absent: see above
        forms = [form for text in texts for form in ((text,) if isinstance(text, str) else text)]
        if len({frozenset(_names(form)) for form in forms}) > 1:
            differing.append(key)
    assert differing == []


def _call_name(call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else None


def test_no_text_call_builds_its_id_at_run_time() -> None:
    """A text call names its id as a literal, or takes one from a table of marked literals
    (``KEYS[name]`` with ``KEYS = {"name": N_("key")}``), and never sits inside an
    f-string, which ``pybabel extract`` does not look into (before Python 3.12)."""
    built = (ast.JoinedStr, ast.BinOp, ast.IfExp, ast.BoolOp, ast.Call)
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        where = path.relative_to(PACKAGE)
        for node in ast.walk(tree):
            if isinstance(node, ast.JoinedStr):
                found += [
                    f"{where}:{inner.lineno}: in an f-string"
                    for inner in ast.walk(node)
                    if isinstance(inner, ast.Call) and _call_name(inner) in TEXT_CALLS
                ]
            elif (
                isinstance(node, ast.Call)
                and _call_name(node) in TEXT_CALLS
                and node.args
                and isinstance(node.args[0], built)
            ):
                found.append(f"{where}:{node.lineno}: {ast.unparse(node.args[0])}")
    assert found == []


@pytest.mark.parametrize("language", SHIPPED)
def test_the_plural_forms_are_the_languages_own(language: str) -> None:
    catalog = _catalogue(CATALOGUES.path(language))
    assert catalog.plural_forms == get_plural(language).plural_forms
    assert (catalog.num_plurals, catalog.plural_expr) == (2, "(n != 1)")


@pytest.mark.parametrize(
    ("language", "count", "said"),
    [
        ("fi", 0, "0 tallentamatonta kirjausta"),
        ("fi", 1, "1 tallentamaton kirjaus"),
        ("fi", 2, "2 tallentamatonta kirjausta"),
        ("fi", 1500, "1\N{NO-BREAK SPACE}500 tallentamatonta kirjausta"),
        ("sv", 1, "1 osparat formulär"),
        ("sv", 3, "3 osparade formulär"),
        ("en", 1, "1 unsaved form"),
        ("en", 2, "2 unsaved forms"),
    ],
)
def test_a_count_takes_the_form_of_its_language(language: str, count: int, said: str) -> None:
    assert Texts(language).plural("own.drafts", count) == said


def test_a_form_alike_for_every_count_still_reads_its_count() -> None:
    assert Texts("fi").plural("phone.retry", 1) == (
        "Ei vastausta: pyyntö palaa jonoon 1 min kuluttua."
    )
    assert Texts("en").plural("phone.retry", 10) == (
        "No answer: the request returns to the queue in 10 min."
    )


SAMI = """\
# A made-up catalogue with Northern Sami's three plural forms (one, two, other).
msgid ""
msgstr ""
"Language: se\\n"
"Content-Type: text/plain; charset=utf-8\\n"
"Plural-Forms: nplurals=3; plural=(n == 1 ? 0 : n == 2 ? 1 : 2);\\n"

msgid "signin.title"
msgstr "Čálit bargobáikái"

msgid "own.drafts"
msgid_plural "own.drafts"
msgstr[0] "{count} skovvi (one)"
msgstr[1] "{count} skovvi (two)"
msgstr[2] "{count} skovvi (other)"

#, fuzzy
msgid "signin.who"
msgstr "Gii don leat?"

msgid "signin.pin"
msgstr ""
"""


def test_a_county_adds_a_language_by_adding_its_catalogue(tmp_path: Path) -> None:
    """Northern Sami, say: one more folder of catalogues, and the program speaks it; what
    its catalogue lacks (or leaves fuzzy or empty) is said in Finnish."""
    shutil.copytree(LOCALE_DIR, tmp_path, dirs_exist_ok=True)
    catalogues = Catalogues(tmp_path)
    assert "se" not in catalogues.languages()
    sami = tmp_path / "se" / "LC_MESSAGES" / "ohjaus.po"
    sami.parent.mkdir(parents=True)
    sami.write_text(SAMI, encoding="utf-8")

    assert catalogues.languages() == ("fi", "en", "se", "sv")
    texts = Texts("se", catalogues)
    assert texts("signin.title") == "Čálit bargobáikái"
    said = [texts.plural("own.drafts", count) for count in (1, 2, 3)]
    assert said == ["1 skovvi (one)", "2 skovvi (two)", "3 skovvi (other)"]
    finnish = Texts("fi", catalogues)
    for lacking in ("signin.who", "signin.pin", "signin.channel"):  # fuzzy, empty, absent
        assert texts(lacking) == finnish(lacking)
    assert (texts.locale, texts.number(1234)) == ("se_FI", "1\N{NO-BREAK SPACE}234")


def test_a_language_without_a_catalogue_is_said_in_finnish() -> None:
    assert Texts("de")("signin.title") == Texts("fi")("signin.title") == "Kirjaudu työpisteelle"
    assert Texts("de").locale == "de"
    assert Texts("xx").locale == "fi_FI"


@pytest.mark.parametrize(
    ("language", "number", "share", "day"),
    [
        ("fi", "1\N{NO-BREAK SPACE}234,5", "25\N{NO-BREAK SPACE}%", "3.5."),
        ("sv", "1\N{NO-BREAK SPACE}234,5", "25\N{NO-BREAK SPACE}%", "3.5"),
        ("en", "1\N{NO-BREAK SPACE}234,5", "25\N{NO-BREAK SPACE}%", "03/05"),
    ],
)
def test_numbers_shares_and_days_are_written_as_in_finland(
    language: str, number: str, share: str, day: str
) -> None:
    texts = Texts(language)
    assert (texts.number(1234.5), texts.percent(0.25), texts.day(date(2025, 5, 3))) == (
        number,
        share,
        day,
    )


def test_importing_the_words_loads_no_babel() -> None:
    """Babel (and its locale data) is read at the first text, not at start-up: not by
    the words, nor by the command line (``ohjaus --help`` needs none)."""
    program = (
        "import sys\n"
        "import ohjaus_tui.words\n"
        "import ohjaus_tui.cli.app\n"
        "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] == 'babel')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_the_ui_language_is_any_language_with_a_catalogue(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The settings (``--lang``, ``OHJAUS_LANGUAGE``) take a language once its catalogue
    is there, and refuse one without, naming those there are."""
    from typer.testing import CliRunner

    from ohjaus_tui.cli.app import app
    from ohjaus_tui.settings import Settings

    shutil.copytree(LOCALE_DIR, tmp_path, dirs_exist_ok=True)
    monkeypatch.setattr("ohjaus_tui.words.CATALOGUES", Catalogues(tmp_path))
    refused = CliRunner().invoke(
        app, ["--lang", "se", "db", "status"], env={"OHJAUS_LANGUAGE": "en"}
    )
    assert refused.exit_code == 2
    assert "no words in 'se': the languages are fi, en, sv" in (refused.stderr)

    sami = tmp_path / "se" / "LC_MESSAGES" / "ohjaus.po"
    sami.parent.mkdir(parents=True)
    sami.write_text(SAMI, encoding="utf-8")
    assert Settings(language="se").language == "se"
    assert Settings(language=" SV ").language == "sv"


def test_a_catalogue_read_once_is_kept_and_read_again_when_it_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reading of a ``.po`` file is kept in the cache folder: the next start loads it
    without Babel; a changed catalogue, or a cache that cannot be read, is parsed again,
    and a cache folder that cannot be written is no error."""
    from ohjaus_tui.words import catalogues as module

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    sami = tmp_path / "se" / "LC_MESSAGES" / "ohjaus.po"
    sami.parent.mkdir(parents=True)
    sami.write_text(SAMI, encoding="utf-8")
    read = module._read.__wrapped__  # past the in-process cache: each call is a new start
    first = read(sami)
    kept = module._cache_path(sami)
    assert kept is not None and kept.is_file()

    def no_parsing(path: Path) -> None:
        raise AssertionError(f"{path} parsed again")

    with monkeypatch.context() as patched:
        patched.setattr(module, "_parse", no_parsing)
        again = read(sami)
    assert again.messages == first.messages and again.text("signin.title") == "Čálit bargobáikái"

    sami.write_text(SAMI.replace("Čálit bargobáikái", "Čálit"), encoding="utf-8")
    assert read(sami).text("signin.title") == "Čálit"  # changed: parsed again
    changed = module._cache_path(sami)
    assert changed is not None and changed != kept
    changed.write_bytes(b"not marshal")
    assert read(sami).text("signin.title") == "Čálit"  # a broken cache: parsed again

    (tmp_path / "cache").chmod(0o500)  # the folder cannot be written (not as root, though)
    try:
        sami.write_text(SAMI, encoding="utf-8")
        assert read(sami).text("signin.title") == "Čálit bargobáikái"
    finally:
        (tmp_path / "cache").chmod(0o700)
