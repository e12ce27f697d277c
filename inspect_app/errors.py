"""Errors with a stable code and a message for the user.

Three kinds, as the UI and the command line treat them differently:

* ``UserError``: the input was refused (invalid USCC, unknown region ...). Exit status 1, shown as written.
* ``EnvironmentProblem``: the machine or the store is in the way (disk full, read-only or corrupt
  database, store locked by another instance). Exit status 1, shown as written.
* anything else is a bug: the UI shows a bug dialog with "copy details", the CLI a traceback.

A message is an ``inspect_app.i18n.Msg``: written in Chinese, rendered in the current language (English when
the UI or the command line speaks English); ``code`` is stable for scripts whatever the language.
"""

from __future__ import annotations

from typing import Any

from inspect_app.i18n import Msg, Text


class InspectError(Exception):
    """Base of the errors the app expects; ``code`` is stable, ``message`` is for people."""

    code = "E_INTERNAL"

    def __init__(self, message: Text, *, code: str | None = None, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.text = message
        if code is not None:
            self.code = code
        self.details: dict[str, Any] = details or {}

    @property
    def message(self) -> str:
        """The message in the current language."""
        return self.text.render()

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"

    def __reduce__(self) -> tuple[Any, ...]:  # code and details survive pickling (worker processes)
        return (_rebuild, (type(self), self.text, self.code, self.details))

    def as_dict(self) -> dict[str, Any]:
        """Return the error as plain JSON-able data (``--json`` output), the message in the current language."""
        out: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.details:
            out["details"] = _rendered(self.details)
        return out


def _rebuild(kind: type[InspectError], text: Text, code: str, details: dict[str, Any]) -> InspectError:
    error = kind.__new__(kind)
    InspectError.__init__(error, text, code=code, details=details)
    return error


def _rendered(value: Any) -> Any:
    if isinstance(value, Text):
        return value.render()
    if isinstance(value, dict):
        return {k: _rendered(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_rendered(v) for v in value]
    return value


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

    def __init__(self, message: Text | None = None, **kwargs: Any) -> None:
        super().__init__(message if message is not None else Msg("操作已取消"), **kwargs)
