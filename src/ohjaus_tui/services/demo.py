"""A demo desk: the sample directory and a few people, ready for simulated traffic."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from ohjaus_tui.domain.codes import Language, Role
from ohjaus_tui.paths import data_dir
from ohjaus_tui.services.actor import Actor
from ohjaus_tui.services.directory import import_directory, list_services
from ohjaus_tui.services.operators import add_operator, list_operators

SAMPLE_DIRECTORY = "directory_sample.csv"
DEMO_PEOPLE = (
    ("Anna", Role.OPERATOR, Language.FI),
    ("Mikko", Role.OPERATOR, Language.FI),
    ("Sofia", Role.OPERATOR, Language.SV),
    ("Liisa", Role.LEAD, Language.FI),
    ("Admin", Role.ADMIN, Language.EN),
)


@dataclass(frozen=True)
class DemoResult:
    services_imported: int
    people_added: list[str]


def prepare_demo(engine: Engine, *, actor: Actor) -> DemoResult:
    """Load what a demo needs; a second call adds nothing."""
    imported = 0
    if not list_services(engine):
        imported = import_directory(engine, data_dir() / SAMPLE_DIRECTORY, actor=actor).created
    known = {operator.name for operator in list_operators(engine)}
    added = []
    for name, role, language in DEMO_PEOPLE:
        if name not in known:
            add_operator(engine, name, role=role, language=language, actor=actor)
            added.append(name)
    return DemoResult(services_imported=imported, people_added=added)
