"""The names of the desk's roles, by the role's code (``operator``, ``lead``, ``admin``)."""

from __future__ import annotations

from ohjaus_tui.words.texts import N_

ROLE_NAMES: dict[str, str] = {
    "operator": N_("role.operator"),
    "lead": N_("role.lead"),
    "admin": N_("role.admin"),
}
"""A role's code: the message id of its name (a code without one is said as it is)."""
