"""Uploads are checked from their headers before a byte of the file is read: size, caller, right to import.

FastAPI reads (and spools to disk) a multipart body before any dependency runs, so the route's
guard would only refuse an upload after the whole file had arrived: anyone with a made-up token
could fill the disk. Here the declared size is checked against MAIS_IMPORT_MAX_MB and the caller's
credentials and capability are resolved first (and kept for the guard, which then reads them from
the request's state).
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from app.api.credentials import resolve
from app.api.json_body import JSONBody
from app.config import get_settings
from app.domain.access import allowed
from app.domain.errors import Unauthenticated

UPLOADS = frozenset({"/api/v1/imports"})


class CheckUploads:
    """Pure ASGI: 411/413/401/403 for an upload that may not come in, before its body is read."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Refuse the upload at once, or pass it on with its caller resolved."""
        if scope["type"] != "http" or scope["method"] != "POST" or scope["path"] not in UPLOADS:
            await self.app(scope, receive, send)
            return
        refusal = await self._refusal(scope)
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        await self.app(scope, receive, send)

    async def _refusal(self, scope: Scope) -> JSONBody | None:
        limit_mb = get_settings().import_max_mb
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if not declared.isdigit():
            return JSONBody({"detail": "send the file with a Content-Length (no chunked uploads)"}, status_code=411)
        if int(declared) > limit_mb * 1024 * 1024:
            detail = (
                f"the file is larger than {limit_mb} MB (MAIS_IMPORT_MAX_MB): split it, or import it with mais import"
            )
            return JSONBody({"detail": detail}, status_code=413)
        request = Request(scope)
        try:
            found = await run_in_threadpool(resolve, request)
        except Unauthenticated as error:
            found = None
            reason = error.detail
        else:
            reason = "log in, or send an API token as `Authorization: Bearer …`"
        if found is None:
            return JSONBody({"detail": reason}, status_code=401, headers={"WWW-Authenticate": "Bearer"})
        actor, csrf = found
        if not allowed(actor, "data.import"):
            return JSONBody(
                {"detail": f"the role {actor.role} may not import files", "role": actor.role}, status_code=403
            )
        state = scope.setdefault("state", {})
        state["actor"], state["csrf"] = actor, csrf  # the route's guard finds them there
        return None
