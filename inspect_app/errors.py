"""Errors with a stable code and a message for the user.

Three kinds, as the UI and the command line treat them differently:

* ``UserError``: the input was refused (invalid USCC, unknown region ...). Exit status 1, shown as written.
* ``EnvironmentProblem``: the machine or the store is in the way (disk full, read-only or corrupt
  database, store locked by another instance). Exit status 1, shown as written.
* anything else is a bug: the UI shows a bug dialog with "copy details", the CLI a traceback.

Messages are in Simplified Chinese (the users' language); ``code`` is stable for scripts.
"""

from __future__ import annotations

from typing import Any


class InspectError(Exception):
    """Base of the errors the app expects; ``code`` is stable, ``message`` is for people."""

    code = "E_INTERNAL"

    def __init__(self, message: str, *, code: str | None = None, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.details: dict[str, Any] = details or {}

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        """Return the error as plain JSON-able data (``--json`` output)."""
        out: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.details:
            out["details"] = self.details
        return out


class UserError(InspectError):
    """The input was refused; nothing was changed."""

    code = "E_INVALID"


class NotFound(UserError):
    """A record named by the user does not exist."""

    code = "E_NOT_FOUND"


class RuleViolation(UserError):
    """A domain rule forbids the action (status move, extension, deadline)."""

    code = "E_RULE"


class EnvironmentProblem(InspectError):
    """The environment is in the way: disk, permissions, a corrupt or locked store."""

    code = "E_ENVIRONMENT"


class StoreLocked(EnvironmentProblem):
    """Another instance of the app is using the same data directory."""

    code = "E_STORE_LOCKED"


class StoreCorrupt(EnvironmentProblem):
    """The database file is not a usable SQLite database."""

    code = "E_STORE_CORRUPT"


class StoreReadOnly(EnvironmentProblem):
    """The database file or its directory cannot be written."""

    code = "E_STORE_READONLY"


class StoreTooNew(EnvironmentProblem):
    """The database was written by a newer version of the app."""

    code = "E_STORE_TOO_NEW"


class Cancelled(InspectError):
    """The user cancelled a long operation; raised from inside ``cancel()`` checks."""

    code = "E_CANCELLED"

    def __init__(self, message: str = "操作已取消", **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
