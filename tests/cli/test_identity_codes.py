"""No personal identity code gets in by any door, nor out through any output.

Each route a text from outside takes into the desk (a command's argument,
a file's field, an intake line, a lead's reason) is given identity codes
that python-stdnum (an independent validator) accepts, written as people
and programs write them: with a Unicode dash, in full width, with a space or
an invisible character inside, glued to other text. The assertion reads what
was stored as stored (the SQLite file and its WAL; on PostgreSQL every row
of every table) and everything printed, not the program's own view of it.
"""

from __future__ import annotations

import json
import random
import unicodedata
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, MetaData, select
from sqlmodel import Session
from stdnum.fi import hetu as stdnum_hetu
from typer.testing import Result

from ohjaus_tui.db.models import AuditEvent
from ohjaus_tui.domain.calendar import utcnow
from ohjaus_tui.domain.codes import Channel, Role
from ohjaus_tui.errors import BadInput
from ohjaus_tui.services.actor import Actor
from ohjaus_tui.services.operators import add_operator
from ohjaus_tui.services.queue import QueueService
from tests.cli.conftest import Invoke

CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"
SIGNS = {1800: "+", 1900: "-YXWVU", 2000: "ABCDEF"}
DASHES = "\u2010\u2011\u2013\u2014\u2212\uff0d\ufe63"
INSIDE = "\u00a0\u200b\u00ad\u2060 "


def drawn_code(rng: random.Random) -> str:
    """A code of any century sign that the independent validator accepts."""
    while True:
        born = date(1850, 1, 1) + timedelta(days=rng.randrange(0, 365 * 200))
        digits = f"{born:%d%m}{born.year % 100:02d}{rng.randrange(2, 900):03d}"
        sign = rng.choice(SIGNS[born.year // 100 * 100])
        code = f"{digits[:6]}{sign}{digits[6:]}{CHECK[int(digits) % 31]}"
        if stdnum_hetu.is_valid(code):
            return code


def written(code: str, form: int) -> str:
    """``code`` as it arrives: plainly, or in one of the disguises that passed before."""
    if form == 1 and code[6] == "-":
        return code[:6] + DASHES[len(code) % len(DASHES)] + code[7:]
    if form == 2:
        return "".join(chr(ord(c) + 0xFEE0) if c.isalnum() else c for c in code)
    if form == 3:
        return code[:4] + INSIDE[int(code[9]) % len(INSIDE)] + code[4:]
    if form == 4:
        return f"HETU{code}kiitos"
    return code.lower() if form == 5 else code


FORMS = range(6)


def codes(seed: int) -> list[tuple[str, str]]:
    """One code per form, drawn afresh for each route (seeded: reproducible)."""
    rng = random.Random(seed)
    return [(code, written(code, form)) for form in FORMS for code in [drawn_code(rng)]]


def digits_of(code: str) -> str:
    return code[:6] + code[7:10]


def folded(raw: str) -> str:
    """Only the letters and digits of ``raw``, as a reader would see them."""
    return "".join(c for c in unicodedata.normalize("NFKC", raw).upper() if c.isalnum())


def stored(engine: Engine, db_url: str) -> str:
    """Everything the database holds, read past the program: the SQLite file and its
    WAL as bytes; on PostgreSQL, every row of every table as text."""
    if db_url.startswith("sqlite"):
        path = Path(db_url.removeprefix("sqlite:///"))
        raw = b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())
        return raw.decode("utf-8", errors="ignore")
    metadata = MetaData()
    metadata.reflect(engine)
    with engine.connect() as connection:
        return "\n".join(
            repr(row)
            for table in metadata.sorted_tables
            for row in connection.execute(select(table))
        )


def assert_nowhere(engine: Engine, db_url: str, code: str, *outputs: str) -> None:
    where = {"the database": stored(engine, db_url)} | {
        f"output {n}": output for n, output in enumerate(outputs)
    }
    for name, content in where.items():
        assert digits_of(code) not in folded(content), f"{code} in {name}"


def everything(result: Result) -> str:
    return result.stdout + result.stderr


# --- the routes ----------------------------------------------------------------------------


def test_an_operators_name_and_os_account(ohjaus: Invoke, engine: Engine, db_url: str) -> None:
    for n, (code, form) in enumerate(codes(1)):
        named = ohjaus("operators", "add", f"Anna {form}", input="2580\n2580\n")
        assert named.exit_code == 2, everything(named)
        assert "the name contains a personal identity code" in named.stderr
        account = ohjaus("operators", "add", f"Anna {n}", "--os-user", f"u{form}")
        assert account.exit_code == 2, everything(account)
        assert_nowhere(engine, db_url, code, everything(named), everything(account))


def test_code_list_labels(ohjaus: Invoke, engine: Engine, db_url: str) -> None:
    for n, (code, form) in enumerate(codes(2)):
        result = ohjaus(
            "codes",
            "add",
            "reason",
            f"own_{n}",
            "--fi",
            f"Asia {form}",
            "--sv",
            "Sak",
            "--en",
            "Matter",
        )
        assert result.exit_code == 2, everything(result)
        assert "the fi label contains a personal identity code" in result.stderr
        as_code = ohjaus(
            "codes", "add", "reason", code.lower(), "--fi", "A", "--sv", "S", "--en", "E"
        )
        assert as_code.exit_code == 2, everything(as_code)
        assert_nowhere(engine, db_url, code, everything(result), everything(as_code))


def test_every_field_of_a_directory_file(
    ohjaus: Invoke, engine: Engine, db_url: str, tmp_path: Path
) -> None:
    header = "code,name_fi,name_sv,segment,provider_type,municipality,description,keywords"
    for n, (code, form) in enumerate(codes(3)):
        cells = [f"s{n}", "Neuvola", "Rådgivning", "health", "county", "Vantaa", "Ajat", "rokotus"]
        column = n % len(cells)
        cells[column] = f"{cells[column]} {form}" if column not in (3, 4) else form
        path = tmp_path / f"directory-{n}.csv"
        path.write_text(f"{header}\n{','.join(cells)}\n", encoding="utf-8")
        result = ohjaus("directory", "import", str(path))
        assert result.exit_code == 2, everything(result)
        assert "nothing was imported" in result.stderr
        assert_nowhere(engine, db_url, code, everything(result))


def test_an_intake_lines_external_id_and_its_quoted_values(
    ohjaus: Invoke, engine: Engine, db_url: str
) -> None:
    for n, (code, form) in enumerate(codes(4)):
        lines = [
            {"channel": "chat", "external_id": f"chat-{form}", "text": "Hei"},
            {"channel": form},
            {"channel": "phone", "callback_number": "0401234567", "received_at": form},
            {"channel": "message", "subject": "Asia", "text": "Hei", "language": form},
            {"event": "chat_line", "external_id": f"x{n}{form}", "text": "Hei"},
        ]
        result = ohjaus("intake", input="\n".join(json.dumps(line) for line in lines) + "\n")
        assert "external_id contains a personal identity code" in everything(result)
        assert_nowhere(engine, db_url, code, everything(result))


def test_a_leads_override_reason(engine: Engine, db_url: str) -> None:
    admin = Actor("test", role=Role.ADMIN)
    lead = add_operator(engine, "Liisa", role=Role.LEAD, pin="2580", actor=admin)
    anna = add_operator(engine, "Anna", pin="2580", actor=admin)
    assert lead.id is not None and anna.id is not None
    queue = QueueService(engine)
    queue.staff.sign_on(anna.id, Channel.PHONE)
    for code, form in codes(5):
        with pytest.raises(BadInput, match="the reason contains a personal identity code"):
            queue.staff.sign_on(
                anna.id, Channel.CHAT, override_reason=f"sijainen {form}", lead_id=lead.id
            )
        assert_nowhere(engine, db_url, code)


def test_audit_queries_and_backup_paths(
    ohjaus: Invoke, engine: Engine, db_url: str, tmp_path: Path
) -> None:
    for n, (code, form) in enumerate(codes(6)):
        queried = ohjaus("audit", "--operator", form, "--action", f"x {form}")
        assert queried.exit_code == 0, everything(queried)
        folder = tmp_path / f"backup {n} {form}"
        folder.mkdir()
        backup = ohjaus("db", "backup", str(folder / "desk.db"))
        assert_nowhere(engine, db_url, code, everything(queried), everything(backup))


def test_who_is_masked_in_the_trail_shown(ohjaus: Invoke, engine: Engine) -> None:
    """A row stored before the guard existed (a desk copied in, say) prints masked."""
    for code, form in codes(8):
        with Session(engine) as session:
            session.add(AuditEvent(actor=f"Anna {form}", action="old.row", at=utcnow()))
            session.commit()
        for output in ("table", "json", "csv"):
            shown = ohjaus("audit", "--format", output)
            assert shown.exit_code == 0, everything(shown)
            assert digits_of(code) not in folded(everything(shown)), output


@pytest.mark.parametrize(
    "args",
    [
        ("report", "--from", "{form}"),
        ("--lang", "{form}", "report", "--month"),
        ("queue", "show", "{form}"),
        ("contacts", "export", "--from", "{form}"),
    ],
)
def test_error_messages_quote_no_code(
    ohjaus: Invoke, engine: Engine, db_url: str, args: tuple[str, ...]
) -> None:
    for code, form in codes(7):
        result = ohjaus(*(arg.format(form=form) for arg in args))
        assert result.exit_code != 0
        assert_nowhere(engine, db_url, code, everything(result))


def test_an_imported_files_name(
    ohjaus: Invoke, engine: Engine, db_url: str, tmp_path: Path
) -> None:
    header = "code,name_fi,segment,provider_type"
    for n, (code, form) in enumerate(codes(9)):
        path = tmp_path / f"palvelut {form}.csv"
        path.write_text(f"{header}\ns{n},Neuvola,health,county\n", encoding="utf-8")
        result = ohjaus("directory", "import", str(path))
        assert result.exit_code == 0, everything(result)
        assert_nowhere(engine, db_url, code, everything(result))
