"""Named permissions, the roles that hold them, and the one decorator that declares them on a view."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask_login import current_user

from complaints.models import Officer, Role
from complaints.models.base import StrEnum

F = TypeVar("F", bound=Callable[..., Any])


class Permission(StrEnum):
    """What a signed-in officer may do; views name one, the blueprint guard checks it."""

    USE_WORKSPACE = "use_workspace"
    VIEW_CASES = "view_cases"
    OPEN_EVIDENCE = "open_evidence"
    TRIAGE = "triage"
    ASSIGN = "assign"
    REFER = "refer"
    MANAGE_DIRECTORY = "manage_directory"
    MANAGE_PUBLICATION = "manage_publication"
    MANAGE_ACCOUNTS = "manage_accounts"
    VIEW_AUDIT = "view_audit"
    #: Read the mail outbox, recipients and texts included (supervisors; each message read is audited).
    READ_MAIL = "read_mail"


_OFFICER = frozenset(
    {
        Permission.USE_WORKSPACE,
        Permission.VIEW_CASES,
        Permission.OPEN_EVIDENCE,
        Permission.TRIAGE,
        Permission.ASSIGN,
        Permission.REFER,
    }
)

#: Role → permissions; supervisors hold everything an officer does and more.
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.OFFICER: _OFFICER,
    Role.ADMIN: frozenset(Permission),
}

#: The attribute `require` sets on a view function; the guard refuses views without it.
ATTRIBUTE = "required_permission"


def has_permission(officer: Officer | Any, permission: Permission) -> bool:
    """Whether a (signed-in) officer's role grants a permission."""
    if not getattr(officer, "is_authenticated", False):
        return False
    try:
        role = Role(officer.role)
    except ValueError:
        return False
    return permission in ROLE_PERMISSIONS.get(role, frozenset())


def can(permission: Permission | str) -> bool:
    """Template helper: whether the current officer holds a permission."""
    return has_permission(current_user, Permission(permission))


def require(permission: Permission) -> Callable[[F], F]:
    """Declare the permission a view needs; the officer blueprint's guard enforces it."""

    def decorate(view: F) -> F:
        setattr(view, ATTRIBUTE, permission)
        return view

    return decorate


def required_permission(view: Callable[..., Any] | None) -> Permission | None:
    """The permission a view declared, or None (which the guard treats as forbidden)."""
    return getattr(view, ATTRIBUTE, None)
