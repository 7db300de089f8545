"""Services of the national service catalogue (Suomi.fi Palvelutietovaranto, PTV).

Pure Python: the catalogue's documents come in parsed (a service, its
channels, its responsible organisation; API versions 8 and 11 alike) and leave
as the directory's :class:`~ohjaus_tui.domain.directory.ServiceRecord` values,
with what was skipped and why, and what could not be read.

- The service's PTV id is its code, so that a later import updates it in place.
- Its segment comes from its service classes through a :class:`ClassMapping`
  (a county's ``ptv_classes.toml``); a service of no mapped class is skipped.
- Its phone number and the hours of its phone line come from its first phone
  channel with a number (else from its first service location with one), its
  web address from its first web page or e-service channel, its address from
  its first service location.
- A document that cannot be read (a missing id, a name that is not text, hours
  that are no hours) is a :class:`Problem` named by its file and field; a gap
  in real data (a number that is no number, a channel missing from the export)
  is a :class:`Note`, and the service is kept without that value.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from ohjaus_tui.domain.directory import (
    KEYWORD_SEPARATOR,
    MAX_LENGTH,
    ServiceRecord,
    email_problem,
    text_problem,
    url_problem,
)
from ohjaus_tui.domain.phones import InvalidPhoneNumber, parse_service_phone
from ohjaus_tui.domain.privacy import contains_henkilotunnus
from ohjaus_tui.domain.reasons import Reason, reason
from ohjaus_tui.domain.service_hours import PtvHoursError, ServiceHours

SOURCE = "ptv"
"""The ``source`` of a service imported from the catalogue."""

_ID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_CLASS = re.compile(r"^P\d+(?:\.\d+)*$")
_LANGUAGES = ("fi", "sv", "en")


class Kind(StrEnum):
    SERVICE = "service"
    CHANNEL = "channel"
    ORGANIZATION = "organization"


def kind_of(data: Mapping[str, Any]) -> Kind | None:
    """What a catalogue document describes, by its keys; None when it is none of them."""
    if "serviceChannelType" in data:
        return Kind.CHANNEL
    if "serviceNames" in data or data.get("type") == "Service":
        return Kind.SERVICE
    if "organizationType" in data or "organizationNames" in data:
        return Kind.ORGANIZATION
    return None


@dataclass(frozen=True)
class Document:
    """One catalogue document and where it was read: ``services/<id>.json``, ``all.json #3``."""

    where: str
    data: Mapping[str, Any]


@dataclass(frozen=True)
class Problem:
    """A document that cannot be read, by its place and field (``""``: the whole document)."""

    where: str
    field: str
    message: str
    """A :class:`~ohjaus_tui.domain.reasons.Reason`."""

    def __str__(self) -> str:
        return (
            f"{self.where}, {self.field}: {self.message}"
            if self.field
            else (f"{self.where}: {self.message}")
        )


Note = Problem
"""A gap in a document that was read: the service is kept without the value."""


# --- which services are the desk's ------------------------------------------------


class MappingError(ValueError):
    """The class mapping file is not what :meth:`ClassMapping.parse` reads."""


@dataclass(frozen=True)
class ClassMapping:
    """PTV service classes to the desk's segments, and organisations to provider types.

    ``segments`` lists ``(class code, segment)`` pairs in the file's order:
    earlier pairs win ties. A class in ``skip`` ends the walk to its parents.
    """

    segments: tuple[tuple[str, str], ...]
    provider_types: Mapping[str, str]
    default_provider_type: str
    provider_by_business_id: Mapping[str, str] = field(default_factory=dict)
    skip: frozenset[str] = frozenset()

    @classmethod
    def parse(cls, document: Mapping[str, Any]) -> ClassMapping:
        """Read a parsed ``ptv_classes.toml``; MappingError says what is wrong."""
        pairs: list[tuple[str, str]] = []
        blocks = document.get("segment")
        if not isinstance(blocks, list) or not blocks:
            raise MappingError("no [[segment]] tables")
        for number, block in enumerate(blocks, start=1):
            segment = block.get("segment") if isinstance(block, dict) else None
            classes = block.get("classes") if isinstance(block, dict) else None
            if not isinstance(segment, str) or not isinstance(classes, list):
                raise MappingError(f"[[segment]] number {number} needs segment and classes")
            for code in classes:
                if not isinstance(code, str) or not _CLASS.match(code):
                    raise MappingError(f"{code!r} is not a service class code such as P4.2")
                pairs.append((code, segment))
        seen = Counter(code for code, _ in pairs)
        if twice := sorted(code for code, count in seen.items() if count > 1):
            raise MappingError(f"listed twice: {', '.join(twice)}")
        skip = document.get("skip", {}).get("classes", [])
        types = document.get("provider_type", {})
        by_id = document.get("provider_by_business_id", {})
        default = document.get("defaults", {}).get("provider_type")
        if not isinstance(default, str):
            raise MappingError("[defaults] needs provider_type")
        for name, table in (("provider_type", types), ("provider_by_business_id", by_id)):
            if not isinstance(table, dict) or not all(
                isinstance(value, str) for value in table.values()
            ):
                raise MappingError(f"[{name}] maps names to provider type codes")
        if not isinstance(skip, list) or not all(isinstance(code, str) for code in skip):
            raise MappingError("[skip] classes is a list of class codes")
        return cls(
            segments=tuple(pairs),
            provider_types=dict(types),
            default_provider_type=default,
            provider_by_business_id=dict(by_id),
            skip=frozenset(skip),
        )

    def codes_used(self) -> tuple[set[str], set[str]]:
        """The segments and provider types the mapping names (to check against the code lists)."""
        segments = {segment for _, segment in self.segments}
        providers = {
            self.default_provider_type,
            *self.provider_types.values(),
            *self.provider_by_business_id.values(),
        }
        return segments, providers

    def segment_of(self, classes: Iterable[str]) -> str | None:
        """The segment of the most specific mapped class (ties: the earlier pair), or None."""
        order = {
            code: (position, segment) for position, (code, segment) in enumerate(self.segments)
        }
        best: tuple[int, int, str] | None = None
        for code in classes:
            found = _mapped(code, order, self.skip)
            if found is None:
                continue
            depth, position, segment = found
            key = (-depth, position, segment)
            if best is None or key < best:
                best = key
        return best[2] if best is not None else None


def _mapped(
    code: str, order: Mapping[str, tuple[int, str]], skip: Collection[str]
) -> tuple[int, int, str] | None:
    """``code`` or its nearest listed parent: (its depth, its position, its segment)."""
    parts = code.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in skip:
            return None
        if candidate in order:
            position, segment = order[candidate]
            return len(parts), position, segment
        parts.pop()
    return None


# --- the catalogue -----------------------------------------------------------------


@dataclass
class Catalogue:
    """The documents of one import, by kind; channels and organisations by id."""

    services: list[Document] = field(default_factory=list)
    channels: dict[str, Document] = field(default_factory=dict)
    organizations: dict[str, Document] = field(default_factory=dict)

    def add(self, document: Document, problems: list[Problem]) -> None:
        """File ``document`` by its kind; a document of no kind, or without an id, is a problem."""
        kind = kind_of(document.data)
        if kind is None:
            problems.append(Problem(document.where, "", not_a_document()))
            return
        if kind is Kind.SERVICE:
            self.services.append(document)
            return
        identifier = _id_of(document, problems)
        if identifier is None:
            return
        if kind is Kind.CHANNEL:
            self.channels[identifier] = document
        else:
            self.organizations[identifier] = document


def not_a_document() -> Reason:
    """Why a JSON value is not read as a document of the catalogue."""
    return reason(
        "ptv.doc.not_a_document",
        "not a catalogue document (no serviceNames, serviceChannelType or organizationType)",
    )


def _id_of(document: Document, problems: list[Problem]) -> str | None:
    value = document.data.get("id")
    if not isinstance(value, str) or not value:
        problems.append(
            Problem(
                document.where, "id", reason("ptv.field.no_id", "missing: every document has one")
            )
        )
        return None
    if not _ID.match(value):
        problems.append(
            Problem(
                document.where,
                "id",
                reason("ptv.field.bad_id", "{value!r} is not a catalogue id", value=value[:60]),
            )
        )
        return None
    return value.lower()


# --- mapping ---------------------------------------------------------------------------


class Skip(StrEnum):
    """Why a service of the catalogue is not in the desk's directory."""

    NOT_PUBLISHED = "not_published"
    NOT_THE_DESKS = "not_the_desks"


@dataclass
class Mapped:
    """What an import makes of a catalogue."""

    records: list[ServiceRecord] = field(default_factory=list)
    skipped: Counter[Skip] = field(default_factory=Counter)
    skipped_classes: Counter[str] = field(default_factory=Counter)
    """The main class of each service skipped as not the desk's."""
    problems: list[Problem] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    missing_channels: int = 0
    """Channels named by a mapped service that the import does not hold."""


class _Unreadable(Exception):
    """A service's document cannot be read; its problem is recorded already."""


def map_catalogue(catalogue: Catalogue, mapping: ClassMapping) -> Mapped:
    """The catalogue's services as the directory's records (see the module's docstring).

    A service that appears twice (two files, or a list and a file) is a problem
    of its second place. Channels and organisations are checked only as far as
    a mapped service uses them.
    """
    mapped = Mapped()
    seen: dict[str, str] = {}
    read_channels: dict[str, _Channel | None] = {}
    for document in catalogue.services:
        identifier = _id_of(document, mapped.problems)
        if identifier is None:
            continue
        if identifier in seen:
            mapped.problems.append(
                Problem(
                    document.where,
                    "id",
                    reason(
                        "ptv.field.twice", "this service is also in {first}", first=seen[identifier]
                    ),
                )
            )
            continue
        seen[identifier] = document.where
        try:
            record = _service(identifier, document, catalogue, mapping, mapped, read_channels)
        except _Unreadable:
            continue
        if record is not None:
            mapped.records.append(record)
    mapped.records.sort(key=lambda record: record.code)
    return mapped


def _service(
    identifier: str,
    document: Document,
    catalogue: Catalogue,
    mapping: ClassMapping,
    mapped: Mapped,
    read_channels: dict[str, _Channel | None],
) -> ServiceRecord | None:
    data = document.data
    reader = _Reader(document, mapped.problems, mapped.notes)
    names = reader.names("serviceNames", name_type="Name")
    classes = reader.class_codes()
    status = data.get("publishingStatus")
    modified = reader.instant("modified")
    if status not in (None, "Published"):
        mapped.skipped[Skip.NOT_PUBLISHED] += 1
        return None
    segment = mapping.segment_of(classes)
    if segment is None:
        mapped.skipped[Skip.NOT_THE_DESKS] += 1
        mapped.skipped_classes[classes[0] if classes else "-"] += 1
        return None
    name_fi = names.get("fi") or names.get("sv") or names.get("en")
    if not name_fi:
        raise reader.fail("serviceNames", reason("ptv.field.no_name", "no name in any language"))
    if "fi" not in names:
        reader.note(
            "serviceNames",
            reason("ptv.note.no_finnish_name", "no Finnish name: another language's is used"),
        )

    organization, provider_type = _responsible(reader, catalogue, mapping)
    channels: list[_Channel] = []
    for channel_id in reader.channel_ids():
        if channel_id not in read_channels:
            channel_document = catalogue.channels.get(channel_id)
            read_channels[channel_id] = (
                None
                if channel_document is None
                else _read_channel(channel_document, mapped.problems, mapped.notes)
            )
        channel = read_channels[channel_id]
        if channel is None:
            if channel_id not in catalogue.channels:
                mapped.missing_channels += 1
            continue
        channels.append(channel)

    phone_channel = next((c for c in channels if c.type == "Phone" and c.phone), None) or next(
        (c for c in channels if c.type == "ServiceLocation" and c.phone), None
    )
    web = (
        next((c.url for c in channels if c.type == "WebPage" and c.url), None)
        or next((c.url for c in channels if c.type == "EChannel" and c.url), None)
        or next((c.url for c in channels if c.url), None)
    )
    email = next((c.email for c in channels if c.email), None)
    address = next((c.address for c in channels if c.type == "ServiceLocation" and c.address), None)
    summary = reader.names("serviceDescriptions", name_type="Summary")
    return ServiceRecord(
        code=identifier,
        name_fi=_fit(name_fi, "name_fi"),
        name_sv=_fit(names["sv"], "name_sv") if names.get("sv") else None,
        name_en=_fit(names["en"], "name_en") if names.get("en") else None,
        segment=segment,
        provider_type=provider_type,
        organization=_fit(organization, "organization") if organization else None,
        municipality=_municipalities(reader),
        phone=phone_channel.phone if phone_channel else None,
        url=web,
        email=email,
        hours=None,
        address=address,
        description=summary.get("fi") or summary.get("sv") or summary.get("en"),
        keywords=reader.keywords(),
        opening=phone_channel.hours if phone_channel else None,
        source=SOURCE,
        source_modified=modified,
    )


def _fit(text: str, column: str) -> str:
    limit = MAX_LENGTH[column]
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _municipalities(reader: _Reader) -> str | None:
    """The names of the municipalities of the service's area, joined by ", "."""
    names: list[str] = []
    for area in reader.objects("areas"):
        for municipality in area.get("municipalities") or []:
            if isinstance(municipality, dict):
                name = _localized(municipality.get("name")).get("fi")
                if name and name not in names:
                    names.append(name)
    if not names:
        return None
    limit, text = MAX_LENGTH["municipality"], ""
    for name in names:
        longer = f"{text}, {name}" if text else name
        if len(longer) > limit:
            reader.note(
                "areas",
                reason(
                    "ptv.note.many_municipalities",
                    "more municipalities than fit: the first {count} are kept",
                    count=text.count(",") + 1,
                ),
            )
            break
        text = longer
    return text


def _responsible(
    reader: _Reader, catalogue: Catalogue, mapping: ClassMapping
) -> tuple[str | None, str]:
    """The responsible organisation's name and the provider type it makes the service."""
    embedded: Mapping[str, Any] = {}
    for link in reader.objects("organizations"):
        organization = link.get("organization")
        if link.get("roleType") == "Responsible" and isinstance(organization, dict):
            embedded = organization
            break
    identifier = embedded.get("id")
    document = (
        catalogue.organizations.get(identifier.lower()) if isinstance(identifier, str) else None
    )
    name = embedded.get("name") if isinstance(embedded.get("name"), str) else None
    if document is None:
        return name, mapping.default_provider_type
    data = document.data
    name = _localized(data.get("organizationNames"), name_type="Name").get("fi") or name
    business_id = data.get("businessCode")
    if isinstance(business_id, str) and business_id in mapping.provider_by_business_id:
        return name, mapping.provider_by_business_id[business_id]
    kind = data.get("organizationType")
    return name, mapping.provider_types.get(kind, mapping.default_provider_type) if isinstance(
        kind, str
    ) else mapping.default_provider_type


# --- channels --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Channel:
    type: str
    phone: str | None
    hours: str | None
    """``ServiceHours.to_json()``, or None when the channel gives no hours."""
    url: str | None
    email: str | None
    address: str | None


def _read_channel(
    document: Document, problems: list[Problem], notes: list[Note]
) -> _Channel | None:
    reader = _Reader(document, problems, notes)
    try:
        kind = document.data.get("serviceChannelType")
        if not isinstance(kind, str):
            raise reader.fail("serviceChannelType", _not_text(kind))
        hours_items = document.data.get("serviceHours") or []
        if not isinstance(hours_items, list):
            raise reader.fail("serviceHours", not_a_list(hours_items))
        try:
            hours = ServiceHours.from_ptv(hours_items)
        except PtvHoursError as exc:
            raise reader.fail(exc.field or "serviceHours", exc.reason) from None
        return _Channel(
            type=kind,
            phone=reader.phone(),
            hours=hours.to_json() if hours.known else None,
            url=reader.url(),
            email=reader.email(),
            address=reader.address(),
        )
    except _Unreadable:
        return None


# --- reading a document's fields ----------------------------------------------------------


def _not_text(value: object) -> Reason:
    return reason("ptv.field.not_text", "expected text, not {kind}", kind=_kind(value))


def not_a_list(value: object) -> Reason:
    return reason("ptv.field.not_a_list", "expected a list, not {kind}", kind=_kind(value))


def _kind(value: object) -> str:
    """What a JSON value is: a reason a front end words, or JSON's own name of it."""
    if isinstance(value, bool):
        return reason("directory.json.true_false", "true/false")
    if isinstance(value, dict):
        return reason("directory.json.an_object", "an object")
    if isinstance(value, list):
        return reason("directory.json.a_list", "a list")
    if value is None:
        return reason("ptv.json.null", "null")
    if isinstance(value, str):
        return reason("ptv.json.text", "text")
    if isinstance(value, int | float):
        return reason("ptv.json.number", "a number")
    return type(value).__name__


def _localized(
    values: object, *, name_type: str | None = None, text_type: str | None = None
) -> dict[str, str]:
    """``[{"language": "fi", "value": "..."}]`` as ``{"fi": "..."}`` (first of each language)."""
    found: dict[str, str] = {}
    if not isinstance(values, list):
        return found
    wanted = name_type or text_type
    for item in values:
        if not isinstance(item, dict):
            continue
        if wanted is not None and item.get("type") not in (wanted, None):
            continue
        language, value = item.get("language"), item.get("value")
        if isinstance(language, str) and isinstance(value, str) and value.strip():
            found.setdefault(language, " ".join(value.split()))
    return found


class _Reader:
    """Reads one document's fields; a field that is not what it should be fails the document."""

    def __init__(self, document: Document, problems: list[Problem], notes: list[Note]) -> None:
        self.document = document
        self.data = document.data
        self.problems = problems
        self.notes = notes

    def fail(self, field_name: str, message: str) -> _Unreadable:
        self.problems.append(Problem(self.document.where, field_name, message))
        return _Unreadable()

    def note(self, field_name: str, message: str) -> None:
        self.notes.append(Problem(self.document.where, field_name, message))

    def objects(self, key: str) -> list[Mapping[str, Any]]:
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(key, not_a_list(value))
        for position, item in enumerate(value):
            if not isinstance(item, dict):
                raise self.fail(
                    f"{key}[{position}]",
                    reason(
                        "ptv.field.not_object", "expected an object, not {kind}", kind=_kind(item)
                    ),
                )
        return value

    def names(self, key: str, *, name_type: str) -> dict[str, str]:
        for position, item in enumerate(self.objects(key)):
            value = item.get("value")
            if value is not None and not isinstance(value, str):
                raise self.fail(f"{key}[{position}].value", _not_text(value))
            if isinstance(value, str) and (problem := self._text_problem(value)):
                raise self.fail(f"{key}[{position}].value", problem)
        return _localized(self.data.get(key), name_type=name_type)

    def _text_problem(self, text: str) -> Reason | None:
        if contains_henkilotunnus(text):
            return reason("ptv.field.hetu", "contains a Finnish personal identity code")
        return text_problem(text)

    def class_codes(self) -> list[str]:
        codes = []
        for position, item in enumerate(self.objects("serviceClasses")):
            code = item.get("code")
            if code is None:  # v11 may give only the URI; its last part is the code
                uri = item.get("uri")
                code = uri.rstrip("/").rsplit("/", 1)[-1] if isinstance(uri, str) else None
            if not isinstance(code, str) or not _CLASS.match(code):
                raise self.fail(
                    f"serviceClasses[{position}].code",
                    reason(
                        "ptv.field.bad_class",
                        "{value!r} is not a service class code such as P4.2",
                        value=str(code)[:40],
                    ),
                )
            codes.append(code)
        return codes

    def instant(self, key: str) -> datetime | None:
        value = self.data.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            raise self.fail(key, _not_text(value))
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise self.fail(
                key, reason("ptv.field.bad_time", "{value!r} is not a time", value=value[:40])
            ) from None
        # The catalogue's times are in UTC; version 8 writes them without a zone.
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)

    def channel_ids(self) -> list[str]:
        ids = []
        for position, item in enumerate(self.objects("serviceChannels")):
            channel = item.get("serviceChannel")
            identifier = channel.get("id") if isinstance(channel, dict) else None
            if not isinstance(identifier, str) or not _ID.match(identifier):
                raise self.fail(
                    f"serviceChannels[{position}].serviceChannel.id",
                    reason(
                        "ptv.field.bad_id",
                        "{value!r} is not a catalogue id",
                        value=str(identifier)[:60],
                    ),
                )
            ids.append(identifier.lower())
        return ids

    def keywords(self) -> tuple[str, ...]:
        """The service's keywords and its ontology terms' names, in every language, once each."""
        words: list[str] = []
        seen: set[str] = set()

        def add(value: object) -> None:
            if not isinstance(value, str):
                return
            word = " ".join(value.replace(KEYWORD_SEPARATOR, ",").split())
            if word and word.casefold() not in seen and not contains_henkilotunnus(word):
                seen.add(word.casefold())
                words.append(word)

        for item in self.objects("keywords"):
            add(item.get("value"))
        for term in self.objects("ontologyTerms"):
            for name in term.get("name") or []:
                if isinstance(name, dict):
                    add(name.get("value"))
        return tuple(words)

    def phone(self) -> str | None:
        """The first number that reads as a phone number; the others are notes."""
        for position, item in enumerate(self.objects("phoneNumbers")):
            number = item.get("number")
            if not isinstance(number, str) or not number.strip():
                continue
            prefix = item.get("prefixNumber")
            raw = (
                number if not isinstance(prefix, str) or not prefix.strip() else f"{prefix}{number}"
            )
            try:
                return parse_service_phone(raw)
            except InvalidPhoneNumber as exc:
                self.note(f"phoneNumbers[{position}]", exc.reason)
        return None

    def url(self) -> str | None:
        for key in ("webPages", "urls", "channelUrls"):
            value = self.data.get(key)
            if not isinstance(value, list):
                continue
            for position, item in enumerate(value):
                address = item.get("url") or item.get("value") if isinstance(item, dict) else None
                if not isinstance(address, str) or not address.strip():
                    continue
                address = address.strip()
                if len(address) > MAX_LENGTH["url"] or (problem := url_problem(address)):
                    self.note(
                        f"{key}[{position}]",
                        problem
                        or reason(
                            "ptv.note.url_too_long",
                            "a web address longer than {limit} characters",
                            limit=MAX_LENGTH["url"],
                        ),
                    )
                    continue
                return address
        return None

    def email(self) -> str | None:
        for key in ("supportEmails", "emails"):
            value = self.data.get(key)
            if not isinstance(value, list):
                continue
            for position, item in enumerate(value):
                address = item.get("value") if isinstance(item, dict) else None
                if not isinstance(address, str) or not address.strip():
                    continue
                if problem := email_problem(address.strip()):
                    self.note(f"{key}[{position}]", problem)
                    continue
                return address.strip()
        return None

    def address(self) -> str | None:
        """The first street address: ``Soinistentie 2, 21100 Naantali``."""
        value = self.data.get("addresses")
        if not isinstance(value, list):
            return None
        for item in value:
            street = item.get("streetAddress") if isinstance(item, dict) else None
            if not isinstance(street, dict):
                continue
            name = _localized(street.get("street")).get("fi") or next(
                iter(_localized(street.get("street")).values()), None
            )
            if not name:
                continue
            number = street.get("streetNumber")
            line = f"{name} {number}" if isinstance(number, str) and number else name
            office = _localized(street.get("postOffice"))
            town = office.get("fi") or next(iter(office.values()), "")
            if town.isupper():
                town = town.title()
            code = street.get("postalCode")
            place = " ".join(part for part in (code if isinstance(code, str) else "", town) if part)
            text = f"{line}, {place}" if place else line
            return _fit(text, "address")
        return None


def check_codes(
    mapping: ClassMapping, *, segments: Collection[str], provider_types: Collection[str]
) -> list[str]:
    """The codes a mapping names that the desk's code lists do not hold."""
    used_segments, used_providers = mapping.codes_used()
    unknown = sorted(used_segments - set(segments)) + sorted(used_providers - set(provider_types))
    return unknown
