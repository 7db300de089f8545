"""The ``service`` table: the directory's services, matched by their code.

An import is planned first (:func:`plan_import`, reads only) and then applied
(:func:`apply_import`) with bulk statements, so that ten thousand services
are written in a few statements rather than one round trip each.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import insert, update
from sqlmodel import Session, col, select

from ohjaus_tui.db.models import ContactLog, Service
from ohjaus_tui.domain.directory import ServiceRecord, split_keywords
from ohjaus_tui.domain.directory_search import fold, search_text

_T = TypeVar("_T")

CHUNK = 1000
"""Rows per bulk statement (and per progress report)."""


def record_of(service: Service) -> ServiceRecord:
    """The directory-file view of a stored service."""
    return ServiceRecord(
        code=service.code,
        name_fi=service.name_fi,
        segment=service.segment,
        provider_type=service.provider_type,
        name_sv=service.name_sv,
        name_en=service.name_en,
        organization=service.organization,
        municipality=service.municipality,
        phone=service.phone,
        url=service.url,
        email=service.email,
        hours=service.hours,
        address=service.address,
        description=service.description,
        keywords=split_keywords(service.keywords),
        opening=service.opening,
        source=service.source,
        source_modified=service.source_modified,
    )


def _stored_values(record: ServiceRecord) -> dict[str, Any]:
    values: dict[str, Any] = record.values()
    values["opening"] = record.opening
    values["source"] = record.source
    values["source_modified"] = record.source_modified
    values["search_text"] = search_text(record)
    values["active"] = True
    return values


# --- import ---------------------------------------------------------------------


@dataclass
class ImportPlan:
    """What an import would change: which services to create, update, deactivate."""

    create: list[ServiceRecord] = field(default_factory=list)
    update: list[tuple[int, ServiceRecord]] = field(default_factory=list)
    unchanged: int = 0
    deactivate: list[Service] = field(default_factory=list)

    @property
    def writes(self) -> int:
        return len(self.create) + len(self.update) + len(self.deactivate)


def plan_import(
    *,
    session: Session,
    records: Sequence[ServiceRecord],
    deactivate_missing: bool,
    source: str = "file",
) -> ImportPlan:
    """Compare the file's records with the table by code; writes nothing.

    A service whose values are the same is unchanged; one that was out of use
    and is in the file again is updated (brought back into use). Only services
    of the same ``source`` are deactivated: a directory file does not retire the
    national catalogue's services, nor the catalogue a file's.
    """
    existing = {service.code: service for service in session.exec(select(Service))}
    plan = ImportPlan()
    for record in records:
        service = existing.pop(record.code, None)
        if service is None:
            plan.create.append(record)
        elif (
            service.active
            and record_of(service) == record
            and service.search_text == search_text(record)
        ):
            plan.unchanged += 1
        else:
            assert service.id is not None
            plan.update.append((service.id, record))
    if deactivate_missing:
        plan.deactivate = sorted(
            (
                service
                for service in existing.values()
                if service.active and service.source == source
            ),
            key=lambda service: service.code,
        )
    return plan


def apply_import(
    *,
    session: Session,
    plan: ImportPlan,
    now: datetime,
    on_written: Callable[[int], None] | None = None,
) -> None:
    """Write the plan in bulk; ``on_written(n)`` is told of each chunk of n rows."""

    def written(count: int) -> None:
        if on_written is not None:
            on_written(count)

    for chunk in _chunks(plan.create):
        session.execute(
            insert(Service),
            [{**_stored_values(record), "created_at": now, "updated_at": now} for record in chunk],
        )
        written(len(chunk))
    for pairs in _chunks(plan.update):
        session.execute(
            update(Service),
            [
                {**_stored_values(record), "id": service_id, "updated_at": now}
                for service_id, record in pairs
            ],
        )
        written(len(pairs))
    for services in _chunks(plan.deactivate):
        ids = [service.id for service in services]
        session.execute(
            update(Service)
            .where(col(Service.id).in_(ids))
            .values(active=False, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        written(len(services))


def _chunks(items: Sequence[_T]) -> Iterable[Sequence[_T]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


# --- reading ----------------------------------------------------------------------


def list_services(
    *,
    session: Session,
    segment: str | None = None,
    provider_type: str | None = None,
    municipality: str | None = None,
    include_inactive: bool = False,
) -> list[Service]:
    """Services by Finnish name; the municipality matches ignoring case and accents (any
    of a service's, when its area names several).

    Sorted and compared in Python, so that SQLite and PostgreSQL (whose
    collations and ``lower()`` differ on "Ä") give the same answer.
    """
    query = select(Service)
    if segment is not None:
        query = query.where(Service.segment == segment)
    if provider_type is not None:
        query = query.where(Service.provider_type == provider_type)
    if not include_inactive:
        query = query.where(col(Service.active).is_(True))
    services = list(session.exec(query))
    if municipality is not None:
        wanted = fold(municipality.strip())
        services = [
            s
            for s in services
            if s.municipality
            and any(fold(name.strip()) == wanted for name in s.municipality.split(","))
        ]
    services.sort(key=lambda s: (fold(s.name_fi), s.code))
    return services


def services_in_use(*, session: Session, ids: Collection[int]) -> set[int]:
    """Which of the services ``ids`` logged contacts refer to."""
    used: set[int] = set()
    wanted = list(ids)
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        query = (
            select(ContactLog.referral_service_id)
            .where(col(ContactLog.referral_service_id).in_(chunk))
            .distinct()
        )
        used.update(service_id for service_id in session.exec(query) if service_id is not None)
    return used
