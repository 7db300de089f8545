"""``ohjaus directory import --format ptv``: the directory from the national service catalogue.

The counts are computed here from the sample's files, by a reading of the class
mapping of this test's own, not by the importer's code.
"""

from __future__ import annotations

import copy
import json
import shutil
import tomllib
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from freezegun import freeze_time
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from ohjaus_tui.db.models import AuditEvent, Service
from ohjaus_tui.domain.calendar import HELSINKI, utcnow
from ohjaus_tui.domain.service_hours import ServiceHours
from ohjaus_tui.paths import data_dir
from ohjaus_tui.present.service_hours import hours_status
from ohjaus_tui.services.directory import DirectorySearch
from tests.cli.conftest import Invoke

SAMPLE = Path(__file__).parent.parent.parent / "docs" / "examples" / "ptv-sample"
MENTAL_HEALTH = "3d305d18-4927-4bd8-9012-22c8a148c1f6"
"""Mielenterveyspalvelut: a phone line (Mon-Fri 8-16) and two service locations."""


# --- what the files hold, read without the importer ---------------------------------


def _sample_services() -> list[dict[str, Any]]:
    return [json.loads(path.read_text("utf-8")) for path in sorted(SAMPLE.glob("services/*.json"))]


def _mapping() -> tuple[dict[str, str], set[str]]:
    document = tomllib.loads((data_dir() / "ptv_classes.toml").read_text("utf-8"))
    listed = {code: block["segment"] for block in document["segment"] for code in block["classes"]}
    return listed, set(document.get("skip", {}).get("classes", []))


def _is_the_desks(codes: list[str], listed: dict[str, str], skip: set[str]) -> bool:
    """Some class, or its nearest parent before a skipped one, is listed."""
    for code in codes:
        parts = code.split(".")
        for end in range(len(parts), 0, -1):
            prefix = ".".join(parts[:end])
            if prefix in skip:
                break
            if prefix in listed:
                return True
    return False


def _expected_counts() -> tuple[int, int]:
    """(the desk's services, those skipped) in the sample."""
    listed, skip = _mapping()
    desk = sum(
        1
        for service in _sample_services()
        if service["publishingStatus"] == "Published"
        and _is_the_desks([c["code"] for c in service["serviceClasses"]], listed, skip)
    )
    return desk, len(_sample_services()) - desk


def _stored(engine: Engine) -> dict[str, Service]:
    with Session(engine) as session:
        return {service.code: service for service in session.exec(select(Service))}


def _import(ohjaus: Invoke, path: Path, *args: str) -> str:
    result = ohjaus("directory", "import", str(path), *args)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture
def export(tmp_path: Path) -> Iterator[Path]:
    """A copy of the sample to change."""
    copied = tmp_path / "ptv"
    shutil.copytree(SAMPLE, copied)
    yield copied


# --- the sample ---------------------------------------------------------------------------


def test_the_sample_imports_with_the_counts_its_files_hold(ohjaus: Invoke, engine: Engine) -> None:
    desk, skipped = _expected_counts()
    assert desk > 30 and skipped > 30  # the sample holds both kinds

    out = _import(ohjaus, SAMPLE, "--format", "ptv")

    assert f"{desk} in the directory: {desk} created, 0 updated, 0 unchanged" in out
    assert f"Skipped {skipped}: not in the desk's service classes {skipped}." in out
    stored = _stored(engine)
    assert len(stored) == desk
    assert all(service.source == "ptv" and service.active for service in stored.values())

    again = _import(ohjaus, SAMPLE)  # a folder is read as the catalogue's export

    assert f"0 created, 0 updated, {desk} unchanged, 0 deactivated" in again
    after = _stored(engine)
    assert {code: s.updated_at for code, s in after.items()} == {
        code: s.updated_at for code, s in stored.items()
    }
    with Session(engine) as session:
        imports = session.exec(
            select(AuditEvent).where(AuditEvent.action == "directory.import")
        ).all()
    assert [json.loads(event.detail or "{}")["created"] for event in imports] == [desk, 0]


def test_a_known_service_is_read_right(ohjaus: Invoke, engine: Engine) -> None:
    _import(ohjaus, SAMPLE, "--format", "ptv")

    service = _stored(engine)[MENTAL_HEALTH]

    assert service.name_fi == "Mielenterveyspalvelut"
    assert service.segment == "mental_substance"  # P5.7
    assert service.provider_type == "municipality"  # Naantali, a Municipality
    assert service.organization == "Naantalin kaupunki"
    assert service.municipality == "Naantali"
    assert service.phone == "+35824345111"  # the phone line, before the service locations
    assert service.source_modified is not None
    assert service.source_modified.isoformat().startswith("2017-12-14T14:58:35")
    assert "mentalvårdstjänster" in (service.keywords or "")  # an ontology term, in Swedish
    assert service.opening is not None
    hours = ServiceHours.from_json(service.opening)
    monday = datetime(2026, 11, 30, 8, 30, tzinfo=HELSINKI)
    assert hours.is_open(monday)
    assert not hours.is_open(monday.replace(hour=16, minute=5))
    assert not hours.is_open(datetime(2026, 12, 5, 10, tzinfo=HELSINKI))  # a Saturday


def test_search_finds_swedish_and_english_words(ohjaus: Invoke, engine: Engine) -> None:
    _import(ohjaus, SAMPLE, "--format", "ptv")
    directory = DirectorySearch.load(engine)

    swedish = [hit.service.code for hit in directory.search("mentalvårdstjänster")]
    english = [hit.service.code for hit in directory.search("mental health services")]

    assert MENTAL_HEALTH in swedish
    assert MENTAL_HEALTH in english


# --- version 11, one file, a page of the API -----------------------------------------------


def _as_version_11(document: dict[str, Any]) -> dict[str, Any]:
    upgraded = copy.deepcopy(document)
    for service_class in upgraded.get("serviceClasses", []):
        service_class["uri"] = (
            "http://uri.suomi.fi/codelist/ptv/ptvserclass2/code/" + service_class["code"]
        )
    upgraded["responsibleSoteOrganization"] = None
    return upgraded


def test_one_file_with_a_page_of_version_11_documents(
    ohjaus: Invoke, engine: Engine, tmp_path: Path
) -> None:
    service = _as_version_11(json.loads((SAMPLE / f"services/{MENTAL_HEALTH}.json").read_text()))
    service["serviceNames"] += [
        {"language": "sv", "value": "Mentalvårdstjänster", "type": "Name"},
        {"language": "en", "value": "Mental health services", "type": "Name"},
    ]
    channels = [
        json.loads(path.read_text())
        for path in SAMPLE.glob("servicechannels/*.json")
        if any(link["serviceChannel"]["id"] == path.stem for link in service["serviceChannels"])
    ]
    for channel in channels:
        channel["isAlwaysOpen"] = False
        channel["ontologyTerms"] = []
    page = {"pageNumber": 1, "pageSize": 100, "pageCount": 1, "itemList": [service, *channels]}
    path = tmp_path / "page.json"
    path.write_text(json.dumps(page), "utf-8")

    out = _import(ohjaus, path, "--format", "ptv")

    assert "1 in the directory: 1 created" in out
    stored = _stored(engine)[MENTAL_HEALTH]
    assert (stored.name_fi, stored.name_sv, stored.name_en) == (
        "Mielenterveyspalvelut",
        "Mentalvårdstjänster",
        "Mental health services",
    )
    assert stored.phone == "+35824345111"
    assert stored.provider_type == "county"  # the organisation is not in the file: the default


# --- documents that cannot be read ---------------------------------------------------------


def test_unreadable_documents_are_named_and_nothing_is_written(
    ohjaus: Invoke, engine: Engine, export: Path
) -> None:
    cut = export / f"services/{MENTAL_HEALTH}.json"
    cut.write_text(cut.read_text()[:500], "utf-8")  # a file cut short
    wrong = sorted((export / "services").glob("*.json"))[0]
    document = json.loads(wrong.read_text())
    document["serviceNames"] = "Kotihoito"  # a text where a list belongs
    wrong.write_text(json.dumps(document), "utf-8")
    channel = sorted((export / "servicechannels").glob("*.json"))[0]
    document = json.loads(channel.read_text())
    del document["id"]
    channel.write_text(json.dumps(document), "utf-8")

    result = ohjaus("directory", "import", str(export), "--format", "ptv")

    assert result.exit_code != 0
    said = result.stderr
    assert f"services/{MENTAL_HEALTH}.json: not JSON:" in said
    assert f"services/{wrong.name}, serviceNames: expected a list, not text" in said
    assert f"servicechannels/{channel.name}, id: missing" in said
    assert "3 documents could not be read, nothing was imported" in said
    assert _stored(engine) == {}

    partial = ohjaus("directory", "import", str(export), "--format", "ptv", "--partial")

    assert partial.exit_code == 0, partial.output
    assert "Left out as unreadable: 3 documents" in partial.stdout
    stored = _stored(engine)
    assert MENTAL_HEALTH not in stored and wrong.stem not in stored
    desk, _ = _expected_counts()
    assert len(stored) >= desk - 2


def test_deactivate_missing_retires_only_the_catalogues_services(
    ohjaus: Invoke, engine: Engine, export: Path
) -> None:
    _import(ohjaus, data_dir() / "directory_sample.csv")
    from_file = {code for code, s in _stored(engine).items() if s.source == "file"}
    _import(ohjaus, export, "--format", "ptv")
    (export / f"services/{MENTAL_HEALTH}.json").unlink()

    out = _import(ohjaus, export, "--format", "ptv", "--deactivate-missing")

    assert "1 deactivated" in out
    stored = _stored(engine)
    assert not stored[MENTAL_HEALTH].active
    assert all(stored[code].active for code in from_file)
    with Session(engine) as session:
        active = session.exec(select(Service).where(col(Service.active).is_(True))).all()
    assert len(active) == len(stored) - 1


def test_a_mapping_naming_an_unknown_segment_is_refused(
    ohjaus: Invoke, engine: Engine, tmp_path: Path
) -> None:
    mapping = (data_dir() / "ptv_classes.toml").read_text("utf-8")
    bad = tmp_path / "classes.toml"
    bad.write_text(mapping.replace('segment = "urgent"', 'segment = "emergencies"'), "utf-8")

    result = ohjaus("directory", "import", str(SAMPLE), "--classes", str(bad))

    assert result.exit_code != 0
    assert "classes.toml names codes the code lists do not hold: emergencies" in result.stderr
    assert _stored(engine) == {}


def test_ptv_options_need_the_ptv_format(ohjaus: Invoke, tmp_path: Path) -> None:
    result = ohjaus("directory", "import", str(data_dir() / "directory_sample.csv"), "--partial")

    assert result.exit_code != 0
    assert "--partial are for an import from the national catalogue only" in result.stderr


def test_open_now_follows_the_clock_across_christmas(ohjaus: Invoke, engine: Engine) -> None:
    """The phone line of a known service (Mon-Fri 8-16), as the workstation asks it:
    by the clock, in the desk's calendar with Finnish public holidays."""
    _import(ohjaus, SAMPLE, "--format", "ptv")
    service = DirectorySearch.load(engine).by_code(MENTAL_HEALTH)
    assert service is not None and service.hours is not None

    def status() -> str:
        assert service.hours is not None
        return hours_status(service.hours, utcnow(), "fi").text

    with freeze_time("2026-12-23 07:00:00"):  # Wednesday 9:00 in Helsinki
        assert status() == "auki nyt, sulkeutuu 16.00"
    with freeze_time("2026-12-23 15:00:00"):  # 17:00; Christmas Eve to Boxing Day closed
        assert status() == "suljettu, aukeaa ma 28.12. klo 8.00"
    with freeze_time("2026-12-24 08:00:00"):  # Christmas Eve, a Thursday
        assert status() == "suljettu, aukeaa ma 28.12. klo 8.00"
