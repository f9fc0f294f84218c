"""Errors as HTTP answers: one table from exception to status, and the handlers that apply it.

Every answer is JSON, `{"detail": "<what was wrong and how to fix it>", …context}`, and carries
the request id (`X-Request-ID`) so that an operator can find the request in the log. The safety
nets (a constraint or a value the services did not foresee, and anything unexpected) log it.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.exc import DataError, IntegrityError

from app.api.json_body import JSONBody
from app.domain.errors import (
    AppError,
    Conflict,
    Forbidden,
    Gone,
    Invalid,
    NotFound,
    PreconditionFailed,
    PreconditionRequired,
    Unauthenticated,
)
from app.logging import request_id
from gis.geometry import GeometryError, GeometryTooComplex

log = logging.getLogger(__name__)

# The most specific class wins: IllegalTransition is a Conflict, GeometryTooComplex a GeometryError.
STATUS: dict[type[Exception], int] = {
    Unauthenticated: 401,
    Forbidden: 403,
    NotFound: 404,
    Gone: 410,
    Conflict: 409,
    Invalid: 422,
    PreconditionFailed: 412,
    PreconditionRequired: 428,
    AppError: 400,
    GeometryTooComplex: 413,
    GeometryError: 422,
}


def status_of(error: Exception) -> int:
    """The HTTP status of a domain or geometry error: the entry of its nearest class in `STATUS`."""
    return next(STATUS[cls] for cls in type(error).__mro__ if cls in STATUS)


def _body(detail: str, **context: Any) -> dict[str, Any]:
    return {"detail": detail, **context}


def _to_login(request: Request, error: Unauthenticated) -> Response:
    """A browser opening a page goes to the login form (and back after); anything else gets a 401 that says how."""
    if request.method == "GET" and "text/html" in request.headers.get("accept", ""):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
    return JSONBody(_body(error.detail), status_code=401, headers={"WWW-Authenticate": "Bearer"})


def install_error_handlers(app: FastAPI) -> None:
    """Map domain, geometry and database errors to 4xx answers with a reason, and log the safety nets."""

    @app.exception_handler(AppError)
    async def _app_error(request: Request, error: AppError) -> Response:
        if isinstance(error, Unauthenticated):
            return _to_login(request, error)
        return JSONBody(_body(error.detail, **error.context), status_code=status_of(error))

    @app.exception_handler(GeometryError)
    async def _geometry_error(_: Request, error: GeometryError) -> JSONBody:
        return JSONBody(_body(str(error), field="geometry"), status_code=status_of(error))

    # Safety nets: a constraint the services did not foresee is still the client's input, not a crash.
    @app.exception_handler(IntegrityError)
    async def _integrity(request: Request, error: IntegrityError) -> JSONBody:
        constraint = getattr(getattr(error.orig, "diag", None), "constraint_name", None)
        # The first line only: the DETAIL line repeats the row's values, which may be personal data.
        message = str(error.orig).splitlines()[0] if error.orig else ""
        log.warning("%s %s: unforeseen constraint %s: %s", request.method, request.url.path, constraint, message)
        return JSONBody(_body(f"the change conflicts with existing data ({constraint})"), status_code=409)

    @app.exception_handler(DataError)
    async def _data(request: Request, error: DataError) -> JSONBody:
        message = str(error.orig).splitlines()[0] if error.orig else "invalid value"
        log.warning("%s %s: value refused by the database: %s", request.method, request.url.path, message)
        return JSONBody(_body(f"a value is out of range or malformed: {message}"), status_code=422)

    # Anything else is a bug: the client gets a JSON 500 with the request id, the log the traceback.
    # Starlette runs this handler outermost, after the request-id middleware has finished, so the
    # id comes from the scope and the header is set here.
    @app.exception_handler(Exception)
    async def _unexpected(request: Request, error: Exception) -> JSONBody:
        rid = request.scope.get("state", {}).get("request_id", "-")
        token = request_id.set(rid)
        try:
            log.error("%s %s: unexpected %s", request.method, request.url.path, type(error).__name__, exc_info=error)
        finally:
            request_id.reset(token)
        body = _body(f"internal error; quote request id {rid}")
        return JSONBody(body, status_code=500, headers={"X-Request-ID": rid})
