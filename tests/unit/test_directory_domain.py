"""The directory's pure rules (folding, row checks, ranking) and the in-memory search."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

import pytest

from ohjaus_tui.db.models import Service
from ohjaus_tui.domain.directory import (
    COLUMNS,
    MAX_LENGTH,
    NOT_IN_FILES,
    RowError,
    ServiceRecord,
    validate_rows,
)
from ohjaus_tui.domain.directory_search import (
    TIER_WEIGHT,
    Query,
    SearchKey,
    fold,
    rank,
    search_text,
    words_of,
)
from ohjaus_tui.paths import data_dir
from ohjaus_tui.services.directory import DirectorySearch, StoredService, read_directory_file

SEGMENTS = {"older_people", "health", "children_families", "working_age"}
PROVIDERS = {"county", "municipality", "third_sector", "kela", "private", "parish"}

GOOD: dict[str, str | None] = {
    "code": "soite-kotihoito-kannus",
    "name_fi": "Kotihoito, Kannus",
    "name_sv": "Hemvård, Kannus",
    "segment": "older_people",
    "provider_type": "county",
    "municipality": "Kannus",
    "phone": "06 828 7000",
    "url": "https://soite.example/kotihoito",
    "email": "kotihoito@mail.example",
    "hours": "ma-pe 8-15",
    "description": "Kotihoito auttaa kotona.",
    "keywords": "kotihoito; hemvård ;;kotikäynti",
}


def check(
    *rows: Mapping[str, str | None], header: list[str] | None = None
) -> tuple[list[ServiceRecord], list[str]]:
    records, errors = validate_rows(
        ((line, row) for line, row in enumerate(rows, start=2)),
        segments=SEGMENTS,
        provider_types=PROVIDERS,
        header=(1, header) if header is not None else None,
    )
    return records, [str(error) for error in errors]


def with_(**changes: str | None) -> dict[str, str | None]:
    return {**GOOD, **changes}


# --- fold ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Aikuissosiaalityö", "aikuissosiaalityo"),
        ("HEMVÅRD", "hemvard"),
        ("Lestijärvi", "lestijarvi"),
        ("Kälviä", "kalvia"),
        ("plain ascii", "plain ascii"),
        ("Straße", "strasse"),
    ],
)
def test_fold_drops_case_and_accents(text: str, folded: str) -> None:
    assert fold(text) == folded


# --- rows ---------------------------------------------------------------------------------


def test_a_good_row_is_normalised() -> None:
    records, errors = check(with_(code="  soite-kotihoito-kannus ", email=""))
    assert errors == []
    (record,) = records
    assert record.code == "soite-kotihoito-kannus"
    assert record.phone == "+35868287000"
    assert record.email is None
    assert record.keywords == ("kotihoito", "hemvård", "kotikäynti")
    assert record.values()["keywords"] == "kotihoito;hemvård;kotikäynti"
    assert list(record.values()) == list(COLUMNS)


def test_only_the_required_columns_are_needed() -> None:
    records, errors = check(
        {"code": "x1", "name_fi": "Palvelu", "segment": "health", "provider_type": "kela"}
    )
    assert errors == []
    assert records[0].name_sv is None
    assert records[0].keywords == ()


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"segment": "elderly"}, "line 2, segment: unknown segment 'elderly'"),
        ({"provider_type": "church"}, "line 2, provider_type: unknown provider type 'church'"),
        ({"phone": "1234"}, "line 2, phone: "),
        ({"phone": "soita meille"}, "line 2, phone: "),
        ({"url": "soite.example/kotihoito"}, "line 2, url: 'soite.example/kotihoito' is not"),
        ({"url": "ftp://soite.example/"}, "line 2, url: 'ftp://soite.example/' is not"),
        ({"url": "https://"}, "line 2, url: 'https://' is not a web address: no host"),
        ({"url": "https://soite example.fi"}, "line 2, url: 'https://soite example.fi' is"),
        ({"email": "kotihoito(at)soite.fi"}, "line 2, email: 'kotihoito(at)soite.fi' is not"),
        ({"email": "koti hoito@soite.fi"}, "line 2, email: "),
        ({"email": "kotihoito@soite"}, "line 2, email: "),
        ({"name_fi": "  "}, "line 2, name_fi: required, but empty"),
        ({"code": None}, "line 2, code: required, but empty"),
        ({"code": "koti hoito"}, "line 2, code: 'koti hoito' is not a code"),
        ({"name_fi": "x" * 201}, "line 2, name_fi: 201 characters, at most 200 allowed"),
    ],
)
def test_each_kind_of_error(changes: dict[str, str | None], expected: str) -> None:
    records, errors = check(with_(**changes))
    assert records == []
    assert len(errors) == 1
    assert errors[0].startswith(expected)


def test_a_bad_phone_number_says_what_is_wrong() -> None:
    _, errors = check(with_(phone="06 12"))
    assert errors[0].startswith("line 2, phone: ")
    assert len(errors[0]) > len("line 2, phone: ") + 10


def test_a_missing_required_key_in_a_json_object() -> None:
    row = dict(GOOD)
    del row["segment"]
    _, errors = check(row)
    assert errors == ["line 2, segment: required, but missing"]


def test_a_duplicate_code_names_the_line_it_first_appeared_on() -> None:
    records, errors = check(GOOD, with_(code="other"), GOOD)
    assert [r.code for r in records] == ["soite-kotihoito-kannus", "other"]
    assert errors == ["line 4, code: duplicate code 'soite-kotihoito-kannus' (first on line 2)"]


def test_a_duplicate_is_found_even_when_the_first_row_has_errors() -> None:
    _, errors = check(with_(segment="nope"), GOOD)
    assert errors[1] == "line 3, code: duplicate code 'soite-kotihoito-kannus' (first on line 2)"


def test_header_errors_are_reported_once_on_the_header_line() -> None:
    header = ["code", "name_fi", "phon", "provider_type", "code", ""]
    row = {"code": "a", "name_fi": "A", "phon": "x", "provider_type": "county"}
    records, errors = check(row, dict(row, code="b"), header=header)
    assert errors == [
        "line 1, header: unknown column 'phon' (did you mean 'phone'?)",
        "line 1, header: column 'code' appears twice",
        "line 1, header: column 6 has no name",
        "line 1, header: required column missing: segment",
    ]
    assert records == []  # every row lacks a segment, but that is said once, above


def test_unknown_keys_of_a_json_object() -> None:
    _, errors = check(with_(emial="a@b.fi"))
    assert errors == ["line 2, emial: unknown column (did you mean 'email'?)"]


def test_every_error_of_every_row_is_listed_in_line_order() -> None:
    _, errors = check(
        with_(code="a", segment="elderly", phone="123", email="not-an-email"),
        with_(code="b"),
        with_(code="c", url="www.example.fi", provider_type="church"),
        with_(code="a", name_fi=""),
    )
    assert [error.split(":")[0] for error in errors] == [
        "line 2, segment",
        "line 2, phone",
        "line 2, email",
        "line 4, provider_type",
        "line 4, url",
        "line 5, name_fi",
        "line 5, code",
    ]


def test_the_record_has_exactly_the_file_columns_and_its_origin() -> None:
    fields = {field.name for field in dataclasses.fields(ServiceRecord)}
    assert fields == set(COLUMNS) | set(NOT_IN_FILES)
    assert not set(COLUMNS) & set(NOT_IN_FILES)


def test_row_error_reads_as_line_column_message() -> None:
    assert str(RowError(7, "phone", "not a number")) == "line 7, phone: not a number"


def test_lengths_mirror_the_service_table() -> None:
    for column, limit in MAX_LENGTH.items():
        assert Service.__table__.c[column].type.length == limit, column  # type: ignore[attr-defined]


# --- search ---------------------------------------------------------------------------------


def key_of(name_fi: str, name_sv: str | None = None, keywords: str = "") -> SearchKey:
    record = ServiceRecord(
        code=fold(name_fi).replace(" ", "-"),
        name_fi=name_fi,
        name_sv=name_sv,
        segment="health",
        provider_type="county",
        keywords=tuple(keywords.split(";")) if keywords else (),
    )
    return SearchKey.of(name_fi, name_sv, search_text(record))


def score(query: str, key: SearchKey) -> int | None:
    return rank(Query.of(query), key)


def test_search_text_holds_names_keywords_municipality_and_code() -> None:
    record = ServiceRecord(
        code="soite-kotihoito-kannus",
        name_fi="Kotihoito, Kannus",
        name_sv="Hemvård, Kannus",
        segment="older_people",
        provider_type="county",
        municipality="Kannus",
        keywords=("kotikäynti", "Hemtjänst"),
    )
    text = search_text(record)
    for word in ("kotihoito", "hemvard", "kotikaynti", "hemtjanst", "kannus", "soite"):
        assert word in text.split()


def test_accents_and_case_do_not_matter() -> None:
    key = key_of("Aikuissosiaalityö", "Socialt arbete för vuxna")
    assert score("aikuissosiaalityo", key) is not None
    assert score("AIKUISSOSIAALITYÖ", key) is not None
    assert score("socialt arbete for", key) is not None


def test_swedish_finds_the_finnish_service() -> None:
    key = key_of("Kotihoito, Kannus", "Hemvård, Kannus", "kotihoito;hemvård")
    assert score("hemvård", key) is not None
    assert score("hemvard kannus", key) is not None


def test_every_query_word_must_match() -> None:
    key = key_of("Kotihoito, Kannus")
    assert score("kotihoito kokkola", key) is None
    assert score("", key) is None


def test_ranking_order() -> None:
    exact = key_of("Kotihoito")
    prefix = key_of("Kotihoito, Kannus")
    name_word = key_of("Yksityinen kotihoito ja kotipalvelu")
    keyword = key_of("Omaishoidon tuki", keywords="kotihoito;omaishoito")
    in_name = key_of("Keski-Pohjanmaan turvakoti")
    scores = [score("koti", key) for key in (prefix, name_word, keyword, in_name)]
    assert all(s is not None for s in scores)
    assert scores == sorted(scores)  # type: ignore[type-var]
    assert len(set(scores)) == len(scores)
    assert score("kotihoito", exact) == 0
    assert score("kotihoito", exact) < score("kotihoito", prefix)  # type: ignore[operator]


def test_a_name_prefix_ignores_punctuation() -> None:
    assert score("kotihoito kannus", key_of("Kotihoito, Kannus")) == 0
    assert score("kotihoito kan", key_of("Kotihoito, Kannus")) == 1000


def test_the_worst_placed_word_decides() -> None:
    both_in_name = key_of("Kotihoito, Kannus")
    one_in_keywords = key_of("Kotihoito, Kokkola", keywords="kannus;tuki")
    assert score("kannus koti", both_in_name) < score("kannus koti", one_in_keywords)  # type: ignore[operator]


def test_a_query_narrows_the_one_typed_before_it() -> None:
    assert Query.of("kot").narrows(Query.of("ko"))
    assert Query.of("koti kan").narrows(Query.of("koti"))
    assert Query.of("Kotí").narrows(Query.of("ot"))
    assert not Query.of("ko").narrows(Query.of("kot"))  # backspace
    assert not Query.of("koti").narrows(Query.of(""))
    assert not Query.of("hem").narrows(Query.of("koti"))


# --- DirectorySearch (in memory, no database) -------------------------------------------


@pytest.fixture(scope="module")
def sample() -> list[StoredService]:
    directory_file = read_directory_file(data_dir() / "directory_sample.csv")
    records, errors = validate_rows(
        directory_file.rows,
        segments={row["segment"] or "" for _, row in directory_file.rows},
        provider_types=PROVIDERS,
        header=directory_file.header,
    )
    assert errors == []
    return [StoredService(id=n, active=True, record=r) for n, r in enumerate(records, 1)]


def brute_force(
    services: list[StoredService], query: str, limit: int, segment: str | None
) -> list[tuple[int, str]]:
    prepared = Query.of(query)
    scored = []
    for service in services:
        record = service.record
        if segment is not None and record.segment != segment:
            continue
        key = SearchKey.of(record.name_fi, record.name_sv, search_text(record))
        if (found := rank(prepared, key)) is not None:
            scored.append((found, fold(record.name_fi), record.code))
    return [(found, code) for found, _, code in sorted(scored)[:limit]]


QUERIES = ["k", "ko", "kot", "koti", "kotihoito kannus", "hemvård", "a", "neuvola", "kokkola te"]


@pytest.mark.parametrize("segment", [None, "older_people", "health"])
@pytest.mark.parametrize("limit", [1, 5, 20])
def test_search_returns_the_best_ranked_services(
    sample: list[StoredService], limit: int, segment: str | None
) -> None:
    directory = DirectorySearch(sample)
    for query in [*QUERIES, "xyzzy", "", "  "]:
        hits = directory.search(query, limit=limit, segment=segment)
        got = [(hit.rank, hit.service.code) for hit in hits]
        assert got == brute_force(sample, query, limit, segment), query


def test_typing_on_gives_the_same_hits_as_a_fresh_search(sample: list[StoredService]) -> None:
    typing = DirectorySearch(sample)
    for query in ["a", "ai", "aik", "aiku", "ai", "s", "so", "sos", "sosiaali t", "so"]:
        fresh = DirectorySearch(sample).search(query, limit=50)
        assert typing.search(query, limit=50) == fresh, query


def test_search_finds_the_sample_services_by_finnish_and_swedish(
    sample: list[StoredService],
) -> None:
    directory = DirectorySearch(sample)
    assert directory.search("aikuissosiaalityo")[0].service.name_fi == "Aikuissosiaalityö"
    hemvard = directory.search("hemvård", limit=50)
    assert hemvard
    assert all(hit.service.name_fi.startswith("Kotihoito") for hit in hemvard[:5])
    koti = directory.search("koti", limit=100)
    tiers = [hit.rank // TIER_WEIGHT for hit in koti]
    assert tiers == sorted(tiers)
    assert {1, 2, 3} <= set(tiers)
    for hit, tier in zip(koti, tiers, strict=True):
        names = f"{hit.service.name_fi} {hit.service.record.name_sv}"
        if tier == 1:
            assert fold(hit.service.name_fi).startswith("koti")
        elif tier == 2:
            assert any(word.startswith("koti") for word in words_of(names))
        elif tier == 3:
            assert not any(word.startswith("koti") for word in words_of(names))
    assert len(directory) == 130
