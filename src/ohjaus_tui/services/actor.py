"""Who is acting: the name written into the audit trail, and the role checked.

An :class:`Actor` is either a person of the desk (a signed-in operator, or
the OS account an admin mapped to one) with their role, or someone the desk
does not know (``role`` None): an unmapped OS account, or the program itself
(the daily purge). Services call :meth:`Actor.require` before anything a role
restricts, so the CLI and the workstation are held to the same rules.
"""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ohjaus_tui.domain.codes import Role
from ohjaus_tui.errors import NotAllowed

if TYPE_CHECKING:
    from ohjaus_tui.db.models import Operator


@dataclass(frozen=True)
class Actor:
    name: str
    operator_id: int | None = None
    role: Role | None = None
    founding: bool = False
    """Someone who opened a desk that has no admin who can sign in yet: they may
    add its people (``require(..., founding_ok=True)``) and nothing else."""

    @classmethod
    def of(cls, operator: Operator) -> Actor:
        """A person of the desk, with the role they have now."""
        return cls(name=operator.name, operator_id=operator.id, role=Role(operator.role))

    @classmethod
    def os_user(cls) -> Actor:
        """The person at the terminal as the operating system knows them (no role)."""
        return cls(name=f"os:{os_user_name()}")

    def may(self, role: Role) -> bool:
        return self.role is not None and self.role.includes(role)

    def require(self, role: Role, what: str, *, founding_ok: bool = False) -> None:
        """Raise :class:`NotAllowed` unless this actor's role includes ``role``
        (or, with ``founding_ok``, the actor is founding the desk)."""
        if self.may(role) or (founding_ok and self.founding):
            return
        # ``what`` is the message id of the action (N_("action.reports")), worded by a front end
        if self.founding:
            raise NotAllowed(code="actor.founding", what=what, role=role.value)
        if self.role is None:
            raise NotAllowed(code="actor.stranger", what=what, role=role.value, name=self.name)
        raise NotAllowed(
            code="actor.needs_role", what=what, role=role.value, name=self.name, has=self.role.value
        )


def os_user_name() -> str:
    """The OS account running this program, or 'unknown'.

    Asked of the operating system by user id: ``getpass.getuser`` would
    believe $LOGNAME or $USER, which anyone can set to pose as a mapped person.
    """
    try:
        import pwd
    except ImportError:  # not POSIX: the environment is all there is
        try:
            return getpass.getuser()
        except (KeyError, OSError):
            return "unknown"
    try:
        return pwd.getpwuid(os.geteuid()).pw_name
    except KeyError:
        return f"uid-{os.geteuid()}"
