"""One exception hierarchy for domain errors, mapped to HTTP status codes in one place."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from sqlalchemy.exc import DataError, IntegrityError

from app.api.json_body import JSONBody
from app.services.status_rules import IllegalTransition
from gis.geometry import GeometryError, GeometryTooComplex


class AppError(Exception):
    """A request the domain refuses; `detail` tells the client what was wrong and how to fix it."""

    status_code = 400

    def __init__(self, detail: str, **context: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.context = context


class NotFound(AppError):
    """No such record."""

    status_code = 404


class Gone(AppError):
    """The record existed and was deleted (it stays in the database, marked)."""

    status_code = 410


class Conflict(AppError):
    """The request contradicts the current state of the record or another record."""

    status_code = 409


class Invalid(AppError):
    """The request is well-formed JSON but its content breaks a domain rule."""

    status_code = 422


def _body(detail: str, **context: Any) -> dict[str, Any]:
    return {"detail": detail, **context}


def install_error_handlers(app: FastAPI) -> None:
    """Map domain, geometry and database errors to 4xx responses with a reason."""

    @app.exception_handler(AppError)
    async def _app_error(_: Request, error: AppError) -> JSONBody:
        return JSONBody(_body(error.detail, **error.context), status_code=error.status_code)

    @app.exception_handler(GeometryError)
    async def _geometry_error(_: Request, error: GeometryError) -> JSONBody:
        status = 413 if isinstance(error, GeometryTooComplex) else 422
        return JSONBody(_body(str(error), field="geometry"), status_code=status)

    @app.exception_handler(IllegalTransition)
    async def _transition(_: Request, error: IllegalTransition) -> JSONBody:
        return JSONBody(_body(str(error), current_status=error.current, allowed=error.allowed), status_code=409)

    # Safety nets: a constraint the services did not foresee is still the client's input, not a crash.
    @app.exception_handler(IntegrityError)
    async def _integrity(_: Request, error: IntegrityError) -> JSONBody:
        constraint = getattr(getattr(error.orig, "diag", None), "constraint_name", None)
        return JSONBody(_body(f"the change conflicts with existing data ({constraint})"), status_code=409)

    @app.exception_handler(DataError)
    async def _data(_: Request, error: DataError) -> JSONBody:
        message = str(error.orig).splitlines()[0] if error.orig else "invalid value"
        return JSONBody(_body(f"a value is out of range or malformed: {message}"), status_code=422)
