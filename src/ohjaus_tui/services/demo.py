"""A demo desk: the sample directory and a few people, ready for simulated traffic."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from ohjaus_tui.domain.codes import Role
from ohjaus_tui.errors import BadInput
from ohjaus_tui.paths import data_dir
from ohjaus_tui.services.actor import Actor
from ohjaus_tui.services.directory import (
    check_directory_file,
    import_directory,
    list_services,
    read_directory_file,
)
from ohjaus_tui.services.operators import add_operator, list_operators, set_pin, update_operator
from ohjaus_tui.words import N_

SAMPLE_DIRECTORY = "directory_sample.csv"
DEMO_PIN = "1234"
"""Every demo person's PIN (README.md and `ohjaus demo` say so)."""
DEMO_ADMIN = "Admin"
DEMO_PEOPLE = (  # the admin first: a new desk's first admin is whoever opens it
    (DEMO_ADMIN, Role.ADMIN, "en"),
    ("Anna", Role.OPERATOR, "fi"),
    ("Mikko", Role.OPERATOR, "fi"),
    ("Sofia", Role.OPERATOR, "sv"),
    ("Liisa", Role.LEAD, "fi"),
)


@dataclass(frozen=True)
class DemoResult:
    services_imported: int
    people_added: list[str]
    os_user: str | None


def prepare_demo(engine: Engine, *, actor: Actor, os_user: str | None = None) -> DemoResult:
    """Load what a demo needs; a second call adds nothing.

    Everyone gets the PIN :data:`DEMO_PIN` (people of an older demo without
    one too), and ``os_user`` becomes the demo admin on the command line, so
    that the simulator and the commands run without asking. Needs an admin,
    or the founder of a new desk; the founder acts as the demo admin once
    this call has given it its PIN, and not before.
    """
    actor.require(Role.ADMIN, N_("action.demo"), founding_ok=True)
    known = {operator.name: operator for operator in list_operators(engine)}
    # Everything that could refuse is checked before the first write: a demo desk is
    # made whole or not at all (never five people and then an error).
    holder = next(
        (p for p in known.values() if os_user and p.os_user == os_user and p.name != DEMO_ADMIN),
        None,
    )
    if holder is not None:
        raise BadInput(
            code="demo.os_user_taken", os_user=os_user, holder=holder.name, admin=DEMO_ADMIN
        )
    sample = data_dir() / SAMPLE_DIRECTORY
    import_sample = not list_services(engine)
    if import_sample:
        check_directory_file(engine, read_directory_file(sample))
    added = []
    for name, role, language in DEMO_PEOPLE:
        person = known.get(name)
        made_here = person is None or person.pin_hash is None
        if person is None:
            person = add_operator(
                engine, name, role=role, language=language, pin=DEMO_PIN, actor=actor
            )
            added.append(name)
        elif person.pin_hash is None:
            person = set_pin(engine, name, DEMO_PIN, actor=actor)
        if name == DEMO_ADMIN and made_here and person.active:
            actor = Actor.of(person)
    if os_user is not None:
        admin = known.get(DEMO_ADMIN)
        if admin is None or admin.os_user != os_user:
            update_operator(engine, DEMO_ADMIN, os_user=os_user, actor=actor)
    imported = 0
    if import_sample:
        imported = import_directory(engine, sample, actor=actor).created
    return DemoResult(services_imported=imported, people_added=added, os_user=os_user)
