"""Errors that carry a message key and its parameters instead of a sentence.

The console and the command line turn the key into a translated sentence
(``console.text.messages``); nothing below the console ever writes prose for an operator.
"""

from __future__ import annotations

from typing import Any


class VigieError(Exception):
    """A refusal or failure an operator must be told about, identified by a stable key."""

    key: str = "error"

    def __init__(self, key: str | None = None, /, **params: Any) -> None:
        self.key = key or type(self).key
        self.params = params
        super().__init__(f"{self.key} {params}" if params else self.key)


class InvalidInput(VigieError):
    """A value given by an operator or a script does not fit the rule it must follow."""

    key = "invalid_input"


class TransitionNotAllowed(VigieError):
    """An incident cannot move from its current status to the one asked."""

    key = "incident.transition_not_allowed"


class StaleVersion(VigieError):
    """Someone else changed the record since it was read; the change was not applied."""

    key = "incident.stale_version"


class Conflict(VigieError):
    """The act collides with what is already recorded (an existing name, a busy switch)."""

    key = "conflict"


class NotFound(VigieError):
    key = "not_found"


class PermissionDenied(VigieError):
    key = "permission_denied"
