"""Answers that depend on who asks are kept by no cache unless a route says otherwise.

Behind the login every answer is someone's: a donor's report, a user's tokens, an admin's list of
accounts. A route that knows better (tiles, settlements) sets its own Cache-Control; everything
else gets `private, no-store` and `Vary: Authorization, Cookie`, so that neither a shared proxy
nor the next user of a field-office browser is served another's answer.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

DEFAULTS = ((b"cache-control", b"private, no-store"), (b"vary", b"Authorization, Cookie"))


class PrivateByDefault:
    """Pure ASGI: adds the default headers to responses that lack them; static assets are left alone."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve the request, adding what the response does not say about caching."""
        if scope["type"] != "http" or scope["path"].startswith("/static/"):
            await self.app(scope, receive, send)
            return

        async def send_private(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = message.setdefault("headers", [])
                present = {name.lower() for name, _ in headers}
                headers.extend(header for header in DEFAULTS if header[0] not in present)
            await send(message)

        await self.app(scope, receive, send_private)
