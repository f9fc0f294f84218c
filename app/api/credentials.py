"""Who a request comes from: an API token (`Authorization: Bearer …`) or the login cookie of a browser."""

from __future__ import annotations

from fastapi import Request

from app.db.session import new_session
from app.domain import clock
from app.domain.access import Actor
from app.domain.errors import Unauthenticated
from app.services.accounts.sessions import actor_for_session
from app.services.accounts.tokens import actor_for_token

COOKIE = "mais_session"


def resolve(request: Request) -> tuple[Actor, str | None] | None:
    """The actor and, for a cookie, the session's CSRF token; None when the request carries no credentials.

    A token that opens nothing is a 401 (a script must learn at once that its token expired or was
    revoked); a stale cookie is simply no login, and the page sends the browser to the login form.
    Looked up in a short transaction of its own, before the request's unit of work begins.
    """
    header = request.headers.get("authorization")
    cookie = request.cookies.get(COOKIE)
    if header is None and not cookie:
        return None
    with new_session() as session:
        if header is not None:
            scheme, _, secret = header.partition(" ")
            actor = actor_for_token(session, secret.strip(), at=clock.now()) if scheme.lower() == "bearer" else None
            if actor is None:
                raise Unauthenticated("the API token is unknown, expired or revoked (send `Authorization: Bearer …`)")
            return actor, None
        return actor_for_session(session, cookie or "", at=clock.now())
