"""An anonymous change is refused before its body is read.

The route guard (app/api/access.py) runs as a FastAPI dependency, after the body has been read and
parsed: without this, anyone could make the server parse a large geometry only to be told to log
in. No change is ever open to anonymous callers (public reading never writes), except logging in
and out, so a write without any credentials is answered 401 here, from the headers alone.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from app.api.access import OPEN, RULES, WRITES
from app.api.credentials import COOKIE
from app.api.json_body import JSONBody

OPEN_WRITES = frozenset(path for (method, path), rule in RULES.items() if method in WRITES and rule == OPEN)


class RefuseAnonymousWrites:
    """Pure ASGI: 401 for a POST/PUT/PATCH/DELETE with neither a token nor a session cookie."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer 401 at once, or pass the request on."""
        if scope["type"] == "http" and scope["method"] in WRITES and scope["path"] not in OPEN_WRITES:
            headers = dict(scope["headers"])
            if b"authorization" not in headers and f"{COOKIE}=".encode() not in headers.get(b"cookie", b""):
                answer = JSONBody(
                    {"detail": "log in, or send an API token as `Authorization: Bearer …`"},
                    status_code=401,
                    headers={"WWW-Authenticate": "Bearer"},
                )
                await answer(scope, receive, send)
                return
        await self.app(scope, receive, send)
