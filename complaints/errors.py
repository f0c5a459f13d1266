"""Domain errors that services raise and views turn into messages."""

from __future__ import annotations


class DomainError(Exception):
    """A rule refused an action; the message is safe to show (views translate it)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidTransition(DomainError):  # noqa: N818 - the domain's word
    """The lifecycle graph does not allow this action from the complaint's status."""


class UploadRejected(DomainError):  # noqa: N818 - the domain's word
    """An evidence file was refused (type, size, content); nothing of it is stored."""
