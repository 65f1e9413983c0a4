"""Error kinds shared by every layer.

``UserError`` and its subclasses carry a message meant for the user (Vietnamese
where the GUI shows it, understandable in English for the CLI). Anything else
that escapes is a bug: the front ends log its traceback and show a short apology.
"""

from __future__ import annotations

from collections.abc import Callable


class Cancelled(Exception):
    """The user stopped a long job; whatever it had started is rolled back or removed."""


def check_cancelled(cancelled: Callable[[], bool] | None) -> None:
    """Raise :class:`Cancelled` when ``cancelled()`` says the user asked to stop."""
    if cancelled is not None and cancelled():
        raise Cancelled


class UserError(Exception):
    """A problem the user can act on: bad input, a missing file, a refused action."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValidationError(UserError):
    """Input that breaks a rule; ``problems`` lists every one, e.g. "row 7: ..."."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = list(problems or [])


class NotFoundError(UserError):
    """A record the user named does not exist."""


class ConflictError(UserError):
    """Someone else saved the same record first (optimistic locking)."""


class PermissionDenied(UserError):
    """The current user's role does not allow the action."""


class EnvironmentProblem(UserError):
    """The machine is in the way: disk full, file locked, not a database, read-only folder."""


class DatabaseProblem(EnvironmentProblem):
    """The database refused or failed (a duplicate, missing rights on the server, a lost
    connection...): ``message`` says so in Vietnamese (store/db_errors.py); the driver's
    own text, with its SQL, goes to the log only."""
