"""``ohjaus directory``: import (checked, idempotent, all or nothing), list, search, export."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlmodel import Session, col, select

from ohjaus_tui.db.models import AuditEvent, Service
from ohjaus_tui.domain.codes import Role
from ohjaus_tui.paths import data_dir
from ohjaus_tui.services.actor import Actor
from ohjaus_tui.services.directory import import_directory
from tests.cli.conftest import Invoke

SAMPLE = data_dir() / "directory_sample.csv"
SAMPLE_SERVICES = 130
HEADER = (
    "code,name_fi,name_sv,segment,provider_type,municipality,phone,url,email,hours,"
    "description,keywords"
)


def _import(ohjaus: Invoke, path: Path, *args: str) -> str:
    result = ohjaus("directory", "import", str(path), *args)
    assert result.exit_code == 0, result.output
    return result.stdout


def _listed(ohjaus: Invoke, *args: str) -> list[dict[str, Any]]:
    result = ohjaus("directory", "list", "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return list(json.loads(result.stdout))


def _stored(engine: Engine) -> dict[str, dict[str, Any]]:
    """Every service row as stored, by code (timestamps left out)."""
    with Session(engine) as session:
        return {
            s.code: s.model_dump(exclude={"created_at", "updated_at"})
            for s in session.exec(select(Service))
        }


def _write(tmp_path: Path, name: str, *lines: str) -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _log_contact_referred_to(engine: Engine, code: str) -> None:
    with engine.begin() as connection:
        service_id = connection.execute(
            text("SELECT id FROM service WHERE code = :code"), {"code": code}
        ).scalar_one()
        connection.execute(
            text(
                "INSERT INTO contact_log (source, started_at, logged_at, channel, caller_type, "
                "identified, on_behalf, language, referral, referral_mode, referral_service_id, "
                "referral_service_code, many_services) VALUES ('import', '2025-01-02 08:00:00', "
                "'2025-01-02 08:10:00', 'phone', 'client', false, false, 'fi', 'internal', "
                "'instructed', :service_id, :code, false)"
            ),
            {"service_id": service_id, "code": code},
        )


# --- import ----------------------------------------------------------------------------


def test_the_sample_imports_cleanly_and_again_unchanged(ohjaus: Invoke, engine: Engine) -> None:
    first = _import(ohjaus, SAMPLE)
    assert f"{SAMPLE_SERVICES} created, 0 updated, 0 unchanged, 0 deactivated" in first
    stored = _stored(engine)
    assert len(stored) == SAMPLE_SERVICES
    kannus = stored["soite-kotihoito-kannus"]
    assert kannus["phone"] == "+35868767021"
    assert kannus["name_sv"] == "Hemvård, Kannus"
    assert "hemvard" in kannus["search_text"].split()
    again = _import(ohjaus, SAMPLE)
    assert f"0 created, 0 updated, {SAMPLE_SERVICES} unchanged, 0 deactivated" in again
    assert _stored(engine) == stored
    with Session(engine) as session:
        events = session.exec(select(AuditEvent).where(AuditEvent.action == "directory.import"))
        details = [json.loads(event.detail or "{}") for event in events]
    assert [(d["created"], d["unchanged"]) for d in details] == [
        (SAMPLE_SERVICES, 0),
        (0, SAMPLE_SERVICES),
    ]


def test_a_changed_row_is_updated(ohjaus: Invoke, engine: Engine, tmp_path: Path) -> None:
    _import(ohjaus, SAMPLE)
    changed = SAMPLE.read_text(encoding="utf-8").replace(
        'soite-kotihoito-kannus,"Kotihoito, Kannus"', 'soite-kotihoito-kannus,"Kotihoito Kannus"'
    )
    path = tmp_path / "changed.csv"
    path.write_text(changed, encoding="utf-8")
    output = _import(ohjaus, path)
    assert f"0 created, 1 updated, {SAMPLE_SERVICES - 1} unchanged" in output
    assert _stored(engine)["soite-kotihoito-kannus"]["name_fi"] == "Kotihoito Kannus"


BAD_LINES = (
    "# a comment line, then a blank one",
    "",
    HEADER + ",notes",
    "ok-1,Hyvä palvelu,,health,county,Kokkola,06 857 7043,https://a.example,a@b.example,,,,",
    "bad-segment,Palvelu,,elderly,county,,,,,,,,",
    "bad-provider,Palvelu,,health,church,,,,,,,,",
    "bad-phone,Palvelu,,health,county,,06 12,,,,,,",
    "bad-url,Palvelu,,health,county,,,www.soite.example,,,,,",
    "bad-email,Palvelu,,health,county,,,,neuvonta(at)soite.example,,,,",
    "bad-name,,,health,county,,,,,,,,",
    "ok-1,Sama koodi,,health,county,,,,,,,,",
    'multi-line,"Palvelu, jonka',
    'kuvaus jatkuu",,health,county,,,,,,"rivi 1',
    'rivi 2",,',
    "after-multi,Palvelu,,health,kela,,123,,,,,,",
)

BAD_ERRORS = (
    "line 3, header: unknown column 'notes'",
    "line 5, segment: unknown segment 'elderly'",
    "line 6, provider_type: unknown provider type 'church'",
    "line 7, phone: '06 12' is not a valid phone number",
    "line 8, url: 'www.soite.example' is not a web address",
    "line 9, email: 'neuvonta(at)soite.example' is not an e-mail address",
    "line 10, name_fi: required, but empty",
    "line 11, code: duplicate code 'ok-1' (first on line 4)",
    "line 15, phone: '123' is not a valid phone number",
)


def test_a_bad_file_lists_every_error_and_writes_nothing(
    ohjaus: Invoke, engine: Engine, tmp_path: Path
) -> None:
    _import(ohjaus, SAMPLE)
    before = _stored(engine)
    path = _write(tmp_path, "bad.csv", *BAD_LINES)
    result = ohjaus("directory", "import", str(path))
    assert result.exit_code == 2
    reported = [line for line in result.stderr.splitlines() if line.startswith("line ")]
    assert len(reported) == len(BAD_ERRORS), result.stderr
    for got, expected in zip(reported, BAD_ERRORS, strict=True):
        assert got.startswith(expected), (got, expected)
    assert "bad.csv: 9 errors, nothing was imported" in result.stderr
    assert _stored(engine) == before


def test_a_header_without_a_required_column_is_one_error(
    ohjaus: Invoke, engine: Engine, tmp_path: Path
) -> None:
    path = _write(
        tmp_path,
        "noseg.csv",
        "code,name_fi,provider_type",
        *(f"s{i},Palvelu {i},county" for i in range(50)),
    )
    result = ohjaus("directory", "import", str(path))
    assert result.exit_code == 2
    assert "line 1, header: required column missing: segment" in result.stderr
    assert result.stderr.count("line ") == 1
    assert _stored(engine) == {}


def test_a_row_with_too_many_values(ohjaus: Invoke, tmp_path: Path) -> None:
    path = _write(tmp_path, "wide.csv", "code,name_fi,segment,provider_type", "a,A,health,kela,x")
    result = ohjaus("directory", "import", str(path))
    assert result.exit_code == 2
    assert "line 2, row: 5 values, but the header has 4 columns" in result.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"code,name_fi,segment,provider_type\na,P\xe4iv\xe4,health,kela\n", "not UTF-8"),
        (b"# only a comment\n\n", "no header row"),
        (b"code,name_fi,segment,provider_type\n", "no services"),
    ],
)
def test_an_unreadable_csv_file_is_one_clear_line(
    ohjaus: Invoke, tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "directory.csv"
    path.write_bytes(content)
    result = ohjaus("directory", "import", str(path))
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_an_excel_csv_with_bom_and_crlf_imports(ohjaus: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    path.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(lines).encode() + b"\r\n")
    assert f"{SAMPLE_SERVICES} created" in _import(ohjaus, path)
    assert f"{SAMPLE_SERVICES} unchanged" in _import(ohjaus, SAMPLE)


def test_a_missing_file(ohjaus: Invoke, tmp_path: Path) -> None:
    result = ohjaus("directory", "import", str(tmp_path / "nowhere.csv"))
    assert result.exit_code == 2
    assert "no such file" in result.stderr


def test_a_missing_file_is_said_in_finnish(ohjaus: Invoke, tmp_path: Path) -> None:
    result = ohjaus("directory", "import", str(tmp_path / "nowhere.csv"), language="fi")
    assert result.exit_code == 2
    assert "nowhere.csv: tiedostoa ei ole" in result.stderr


def test_dry_run_checks_and_counts_but_writes_nothing(
    ohjaus: Invoke, engine: Engine, tmp_path: Path
) -> None:
    output = _import(ohjaus, SAMPLE, "--dry-run")
    assert "no errors" in output
    assert f"Would be: {SAMPLE_SERVICES} created" in output
    assert _stored(engine) == {}
    bad = ohjaus("directory", "import", str(_write(tmp_path, "bad.csv", *BAD_LINES)), "--dry-run")
    assert bad.exit_code == 2
    assert "line 5, segment" in bad.stderr
    with Session(engine) as session:
        query = select(AuditEvent).where(col(AuditEvent.action).startswith("directory"))
        assert session.exec(query).first() is None


def test_missing_services_are_kept_unless_asked(
    ohjaus: Invoke, engine: Engine, tmp_path: Path
) -> None:
    _import(ohjaus, SAMPLE)
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    kept = [line for line in lines if not line.startswith("soite-kotihoito-")]
    dropped = len(lines) - len(kept)
    path = _write(tmp_path, "smaller.csv", *kept)

    output = _import(ohjaus, path)
    assert "0 deactivated" in output
    assert len(_listed(ohjaus)) == SAMPLE_SERVICES

    _log_contact_referred_to(engine, "soite-kotihoito-kannus")
    output = _import(ohjaus, path, "--deactivate-missing")
    assert f"{dropped} deactivated (1 referred to by logged contacts)" in output
    active = {row["code"] for row in _listed(ohjaus)}
    assert len(active) == SAMPLE_SERVICES - dropped
    assert "soite-kotihoito-kannus" not in active
    stored = _stored(engine)
    assert len(stored) == SAMPLE_SERVICES  # deactivated, never deleted
    assert stored["soite-kotihoito-kannus"]["active"] is False
    with engine.connect() as connection:
        referred = connection.execute(
            text("SELECT referral_service_id FROM contact_log")
        ).scalar_one()
    assert referred == stored["soite-kotihoito-kannus"]["id"]

    output = _import(ohjaus, SAMPLE)  # back in the file: back in use, same id
    assert f"0 created, {dropped} updated" in output
    assert _stored(engine)["soite-kotihoito-kannus"]["active"] is True
    assert _stored(engine)["soite-kotihoito-kannus"]["id"] == referred


# --- JSON, export ---------------------------------------------------------------------------


def test_a_json_file_imports_and_its_errors_have_lines(
    ohjaus: Invoke, engine: Engine, tmp_path: Path
) -> None:
    services: list[dict[str, Any]] = [
        {
            "code": "kela-asumistuki",
            "name_fi": "Kela: yleinen asumistuki",
            "name_sv": "FPA: allmänt bostadsbidrag",
            "segment": "working_age",
            "provider_type": "kela",
            "phone": "020 692 210",
            "keywords": ["asumistuki", "bostadsbidrag"],
        },
        {"code": "tyhja", "name_fi": "Tyhjä", "segment": "health", "provider_type": "kela"},
    ]
    path = tmp_path / "services.json"
    path.write_text(json.dumps(services, ensure_ascii=False, indent=2), encoding="utf-8")
    assert "2 created" in _import(ohjaus, path)
    stored = _stored(engine)["kela-asumistuki"]
    assert stored["keywords"] == "asumistuki;bostadsbidrag"
    assert stored["phone"] == "+35820692210"

    services[1] |= {"segment": "elderly", "email": "x@"}
    services.append({"code": "kela-asumistuki", "nimi": "x"})
    content = json.dumps(services, ensure_ascii=False, indent=2)
    path.write_text(content, encoding="utf-8")
    lines = content.splitlines()
    second = lines.index('    "code": "tyhja",')  # its "{" is the line before: 0-based + 1 - 1
    third = len(lines) - 4
    assert lines[third - 1] == "  {"
    result = ohjaus("directory", "import", str(path))
    assert result.exit_code == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("line ")]
    assert [error.split(":")[0] for error in errors] == [
        f"line {second}, segment",
        f"line {second}, email",
        f"line {third}, nimi",
        f"line {third}, name_fi",
        f"line {third}, segment",
        f"line {third}, provider_type",
        f"line {third}, code",
    ]
    assert f"line {third}, code: duplicate code 'kela-asumistuki' (first on line 2)" in errors


def test_the_reasons_are_said_in_finnish(ohjaus: Invoke, engine: Engine, tmp_path: Path) -> None:
    services: list[object] = [
        {"code": "a", "name_fi": "A", "segment": "elderly", "provider_type": "kela", "nimi": "x"},
        {"code": "b", "name_fi": "B", "segment": "health", "provider_type": "kela", "url": "x"},
        {"code": "c", "name_fi": ["C"], "segment": "health", "provider_type": "kela"},
        {"code": "d", "segment": "health", "provider_type": "kela", "phone": "0800 12345"},
        [1, 2],
    ]
    path = tmp_path / "services.json"
    path.write_text(json.dumps(services), encoding="utf-8")  # one line
    result = ohjaus("directory", "import", str(path), language="fi")
    assert result.exit_code == 2
    errors = result.stderr.splitlines()
    assert any(
        e.startswith("rivi 1, segment: tuntematon palvelukokonaisuus 'elderly'") for e in errors
    )
    assert any(e.startswith("rivi 1, nimi: tuntematon sarake (tunnetut: code,") for e in errors)
    assert "rivi 1, url: 'x' ei ole verkko-osoite: sen on alettava https:// tai http://" in errors
    assert "rivi 1, name_fi: odotettiin tekstiä, ei listaa" in errors
    assert "rivi 1, name_fi: pakollinen, mutta puuttuu" in errors
    assert "rivi 1, rivi: odotettiin oliota {...}, ei listaa" in errors
    assert not [e for e in errors if e.startswith("line ") or "unknown" in e], errors
    assert _stored(engine) == {}


NATIONAL_NUMBERS = {
    "paivystysapu": ("116 117", "116117"),
    "hatanumero": ("112", "112"),
    "kela-perheet": ("020 692 206", "+35820692206"),
    "dvv-neuvonta": ("0295 536 000", "+358295536000"),
    "soite-vaihde": ("06 828 7000", "+35868287000"),
}
"""A directory's everyday numbers: short, national service (020, 0295) and ordinary."""


@pytest.mark.parametrize("file_format", ["csv", "json"])
def test_the_directory_holds_the_national_service_numbers(
    ohjaus: Invoke, engine: Engine, tmp_path: Path, file_format: str
) -> None:
    services = [
        {"code": code, "name_fi": code, "segment": "urgent", "provider_type": "county"}
        | {"phone": dialled}
        for code, (dialled, _) in NATIONAL_NUMBERS.items()
    ]
    path = tmp_path / f"numbers.{file_format}"
    if file_format == "json":
        path.write_text(json.dumps(services), encoding="utf-8")
    else:
        rows = [
            ",".join(service.get(column, "") for column in HEADER.split(","))
            for service in services
        ]
        _write(tmp_path, path.name, HEADER, *rows)
    assert f"{len(services)} created" in _import(ohjaus, path)
    stored = {code: row["phone"] for code, row in _stored(engine).items()}
    assert stored == {code: kept for code, (_, kept) in NATIONAL_NUMBERS.items()}

    listed = {row["code"]: row["phone"] for row in _listed(ohjaus)}
    assert listed["paivystysapu"] == "116 117" and listed["hatanumero"] == "112"
    exported = ohjaus("directory", "export", "--format", file_format).stdout
    if file_format == "csv":
        phones = {row["code"]: row["phone"] for row in csv.DictReader(io.StringIO(exported))}
        assert phones["paivystysapu"] == "116 117" and phones["kela-perheet"] == "020 692 206"
    else:
        phones = {row["code"]: row["phone"] for row in json.loads(exported)}
        assert phones == stored
    path.write_text(exported, encoding="utf-8")
    assert f"0 updated, {len(services)} unchanged" in _import(ohjaus, path)


def test_a_short_number_that_finland_does_not_have_is_refused(
    ohjaus: Invoke, tmp_path: Path
) -> None:
    path = _write(
        tmp_path,
        "short.csv",
        HEADER,
        "x,Palvelu,,urgent,county,,118,,,,,",
        "y,P,,urgent,county,,+46 112,,,,,",
    )
    result = ohjaus("directory", "import", str(path))
    assert result.exit_code == 2
    assert "line 2, phone: '118' is not a valid phone number" in result.stderr
    assert "line 3, phone: '+46 112' is not a valid phone number" in result.stderr


def test_invalid_json_is_one_clear_line(ohjaus: Invoke, tmp_path: Path) -> None:
    path = _write(tmp_path, "broken.json", "[", '  {"code": "a",}', "]")
    result = ohjaus("directory", "import", str(path))
    assert result.exit_code == 2
    assert "broken.json: line 2: not valid JSON" in result.stderr


@pytest.mark.parametrize("file_format", ["csv", "json"])
def test_export_then_import_is_unchanged(
    ohjaus: Invoke, engine: Engine, tmp_path: Path, file_format: str
) -> None:
    _import(ohjaus, SAMPLE)
    before = _stored(engine)
    path = tmp_path / f"export.{file_format}"
    result = ohjaus("directory", "export", "--format", file_format, "--output", str(path))
    assert result.exit_code == 0, result.output
    output = _import(ohjaus, path, "--deactivate-missing")
    assert f"0 created, 0 updated, {SAMPLE_SERVICES} unchanged, 0 deactivated" in output
    assert _stored(engine) == before
    stdout = ohjaus("directory", "export", "--format", file_format).stdout
    assert stdout == path.read_text(encoding="utf-8")


def test_export_csv_writes_the_phone_for_dialling(ohjaus: Invoke) -> None:
    _import(ohjaus, SAMPLE)
    exported = ohjaus("directory", "export").stdout
    rows = {row["code"]: row for row in csv.DictReader(io.StringIO(exported))}
    assert len(rows) == SAMPLE_SERVICES
    assert rows["soite-kotihoito-kannus"]["phone"] == "06 876 7021"
    assert rows["soite-kotihoito-kannus"]["keywords"].startswith("kotihoito;kotisairaanhoito;")
    as_json = json.loads(ohjaus("directory", "export", "--format", "json").stdout)
    kannus = next(row for row in as_json if row["code"] == "soite-kotihoito-kannus")
    assert kannus["phone"] == "+35868767021"
    assert kannus["email"] is None


# --- list and search -------------------------------------------------------------------------


def test_list_filters(ohjaus: Invoke) -> None:
    _import(ohjaus, SAMPLE)
    assert len(_listed(ohjaus)) == SAMPLE_SERVICES
    older = _listed(ohjaus, "--segment", "older_people")
    assert older
    assert {row["segment"] for row in older} == {"older_people"}
    parishes = _listed(ohjaus, "--provider", "parish")
    assert parishes
    assert {row["provider_type"] for row in parishes} == {"parish"}
    lesti = _listed(ohjaus, "--municipality", "lestijarvi")
    assert lesti
    assert {row["municipality"] for row in lesti} == {"Lestijärvi"}
    both = _listed(ohjaus, "--segment", "older_people", "--municipality", "Kannus")
    assert "soite-kotihoito-kannus" in {row["code"] for row in both}
    assert {(row["segment"], row["municipality"]) for row in both} == {("older_people", "Kannus")}
    names = [row["name_fi"] for row in _listed(ohjaus)]
    assert names[0].casefold() <= names[-1].casefold()


def test_list_as_table_and_csv(ohjaus: Invoke) -> None:
    _import(ohjaus, SAMPLE)
    table = ohjaus("directory", "list", "--municipality", "Halsua")
    assert table.exit_code == 0
    assert "Kotihoito, Halsua" in table.stdout
    assert "06 " in table.stdout
    rows = list(csv.DictReader(io.StringIO(ohjaus("directory", "list", "-f", "csv").stdout)))
    assert len(rows) == SAMPLE_SERVICES


def _search(ohjaus: Invoke, *words: str) -> list[dict[str, Any]]:
    result = ohjaus("directory", "search", *words, "--format", "json")
    assert result.exit_code == 0, result.output
    return list(json.loads(result.stdout))


def test_search_ignores_case_and_accents_and_knows_swedish(ohjaus: Invoke) -> None:
    _import(ohjaus, SAMPLE)
    assert _search(ohjaus, "aikuissosiaalityo")[0]["name_fi"] == "Aikuissosiaalityö"
    hemvard = _search(ohjaus, "hemvård")
    assert hemvard
    assert hemvard[0]["name_fi"].startswith("Kotihoito")
    assert _search(ohjaus, "HEMVARD", "kannus")[0]["code"] == "soite-kotihoito-kannus"
    assert _search(ohjaus, "no-such-service-xyz") == []


def test_search_ranks_names_before_keywords(ohjaus: Invoke) -> None:
    _import(ohjaus, SAMPLE)
    hits = _search(ohjaus, "koti")
    ranks = [hit["rank"] for hit in hits]
    assert ranks == sorted(ranks)
    assert hits[0]["name_fi"].lower().startswith("koti")
    table = ohjaus("directory", "search", "kotihoito", "kannus")
    assert table.exit_code == 0
    assert "soite-kotihoito-kannus" in table.stdout


def test_search_skips_services_out_of_use(ohjaus: Invoke, tmp_path: Path) -> None:
    _import(ohjaus, SAMPLE)
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    kept = [line for line in lines if not line.startswith("soite-aikuissosiaalityo,")]
    _import(ohjaus, _write(tmp_path, "less.csv", *kept), "--deactivate-missing")
    codes = [hit["code"] for hit in _search(ohjaus, "aikuissosiaalityo")]
    assert "soite-aikuissosiaalityo" not in codes


def test_a_large_import_reports_its_progress(engine: Engine, tmp_path: Path) -> None:
    rows = [f"gen-{n:04d},Palvelu {n},,health,county,,,,,,," for n in range(1200)]
    path = _write(tmp_path, "large.csv", HEADER, *rows)
    steps: list[tuple[str, int, int]] = []

    def progress(step: str, done: int, total: int) -> None:
        steps.append((step, done, total))

    result = import_directory(engine, path, actor=Actor("test", role=Role.ADMIN), progress=progress)
    assert result.created == 1200
    checking = [done for step, done, total in steps if step == "checking" and total == 1200]
    writing = [done for step, done, total in steps if step == "writing" and total == 1200]
    assert checking == sorted(checking)
    assert checking[-1] == 1200
    assert len(checking) > 1
    assert writing == [1000, 1200]
