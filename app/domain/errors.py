"""The domain's refusals, as one exception hierarchy that knows nothing of HTTP.

Each exception carries a `detail` that tells the client what was wrong and how to fix it, and
optional `context` (the field, the current state, what is allowed) that goes into the answer
beside it. `app.api.errors` maps each class to its HTTP status in one table.
"""

from __future__ import annotations

from typing import Any


class AppError(Exception):
    """A request the domain refuses."""

    def __init__(self, detail: str, **context: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.context = context


class NotFound(AppError):
    """No such record."""


class Gone(AppError):
    """The record existed and was deleted (it stays in the database, marked)."""


class Conflict(AppError):
    """The request contradicts the current state of the record or another record."""


class Invalid(AppError):
    """The request is well-formed but its content breaks a domain rule."""


class PreconditionRequired(AppError):
    """A change of a record that does not say which version of it the client read."""


class PreconditionFailed(AppError):
    """The record changed since the client read it: nobody's update is lost silently."""


class IllegalTransition(Conflict):
    """A change the lifecycle does not allow from the current state (docs/mine-action.md §4.3)."""

    def __init__(self, detail: str, *, current: str, allowed: list[str]) -> None:
        super().__init__(detail, current_status=current, allowed=allowed)
        self.current = current
        self.allowed = allowed


class Unauthenticated(AppError):
    """No valid credentials: the caller must log in (or send an API token) first."""


class Forbidden(AppError):
    """The caller is known but its role, or its organisation, does not allow this."""
