"""Errors as HTTP answers: one table from exception to status, and the handlers that apply it.

Every answer is JSON, `{"detail": "<what was wrong and how to fix it>", …context}`, and carries
the request id (`X-Request-ID`) so that an operator can find the request in the log. The safety
nets (a constraint or a value the services did not foresee, and anything unexpected) log it.

The code words its messages in English; an answer to a client that asks for Ukrainian (`?lang=uk`,
the switch's cookie, Accept-Language) carries the catalogue's Ukrainian where it has the message or
a template of it (app/i18n/uk/errors.po), says so in `Content-Language`, and keeps every other key
of the body as it is. docs/languages.md lists what is translated.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.utils import is_body_allowed_for_status_code
from sqlalchemy.exc import DataError, IntegrityError
from starlette.exceptions import HTTPException

from app.api.json_body import JSONBody
from app.api.language import request_language
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
from app.i18n import translate_text
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


def _answer(
    request: Request, detail: str, status: int, headers: dict[str, str] | None = None, **context: Any
) -> JSONBody:
    """The error answer in the request's language: `detail` translated where the catalogue knows it."""
    language = request_language(request)
    return JSONBody(
        _body(translate_text(language, "errors", detail), **context),
        status_code=status,
        headers={**(headers or {}), "Content-Language": language},
    )


def _to_login(request: Request, error: Unauthenticated) -> Response:
    """A browser opening a page goes to the login form (and back after); anything else gets a 401 that says how."""
    if request.method == "GET" and "text/html" in request.headers.get("accept", ""):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
    return _answer(request, error.detail, 401, {"WWW-Authenticate": "Bearer"})


def install_error_handlers(app: FastAPI) -> None:
    """Map domain, geometry and database errors to 4xx answers with a reason, and log the safety nets."""

    @app.exception_handler(AppError)
    async def _app_error(request: Request, error: AppError) -> Response:
        if isinstance(error, Unauthenticated):
            return _to_login(request, error)
        return _answer(request, error.detail, status_of(error), **error.context)

    @app.exception_handler(GeometryError)
    async def _geometry_error(request: Request, error: GeometryError) -> JSONBody:
        return _answer(request, str(error), status_of(error), field="geometry")

    # FastAPI's own answers, in their own shape (a list of problems; `{"detail": …}`), in the request's
    # language: pydantic's messages are translated by their English text, the rest of each entry stays.
    @app.exception_handler(RequestValidationError)
    async def _invalid_request(request: Request, error: RequestValidationError) -> JSONResponse:
        language = request_language(request)
        problems = jsonable_encoder(error.errors())
        for problem in problems:
            if isinstance(problem, dict) and isinstance(problem.get("msg"), str):
                problem["msg"] = translate_text(language, "errors", problem["msg"])
        return JSONResponse({"detail": problems}, status_code=422, headers={"Content-Language": language})

    @app.exception_handler(HTTPException)
    async def _http(request: Request, error: HTTPException) -> Response:
        language = request_language(request)
        headers = {**(error.headers or {}), "Content-Language": language}
        if not is_body_allowed_for_status_code(error.status_code):
            return Response(status_code=error.status_code, headers=headers)
        detail = translate_text(language, "errors", error.detail) if isinstance(error.detail, str) else error.detail
        return JSONResponse({"detail": detail}, status_code=error.status_code, headers=headers)

    # Safety nets: a constraint the services did not foresee is still the client's input, not a crash.
    @app.exception_handler(IntegrityError)
    async def _integrity(request: Request, error: IntegrityError) -> JSONBody:
        constraint = getattr(getattr(error.orig, "diag", None), "constraint_name", None)
        # The first line only: the DETAIL line repeats the row's values, which may be personal data.
        message = str(error.orig).splitlines()[0] if error.orig else ""
        log.warning("%s %s: unforeseen constraint %s: %s", request.method, request.url.path, constraint, message)
        return _answer(request, f"the change conflicts with existing data ({constraint})", 409)

    @app.exception_handler(DataError)
    async def _data(request: Request, error: DataError) -> JSONBody:
        message = str(error.orig).splitlines()[0] if error.orig else "invalid value"
        log.warning("%s %s: value refused by the database: %s", request.method, request.url.path, message)
        return _answer(request, f"a value is out of range or malformed: {message}", 422)

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
        return _answer(request, f"internal error; quote request id {rid}", 500, {"X-Request-ID": rid})
