"""The project's own exceptions. A `UserError` is shown to the user in their language."""

from __future__ import annotations

from typing import Any


class UserError(Exception):
    """Something the user can fix. `key` names a catalogue message; `params` fill it in.

    The error funnel renders it as an ephemeral reply in the user's language.
    """

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


class InvalidInput(UserError):
    """A field's value is not accepted. `field` is a catalogue key naming the field."""

    def __init__(self, field: str, reason: str, **params: Any) -> None:
        super().__init__(reason, **params)
        self.field = field


class NotAllowed(UserError):
    """The user lacks the right to do this (e.g. not a network admin)."""


class DatabaseError(Exception):
    """The database cannot be used as it is (newer than the code, failed migration)."""
