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
    scheme, _, secret = request.headers.get("authorization", "").partition(" ")
    # Only Bearer is ours: a proxy's Basic credentials in front of the app are not a failed login.
    bearer = secret.strip() if scheme.lower() == "bearer" else None
    cookie = request.cookies.get(COOKIE)
    if bearer is None and not cookie:
        return None
    with new_session() as session:
        if bearer is not None:
            actor = actor_for_token(session, bearer, at=clock.now())
            if actor is None:
                raise Unauthenticated("the API token is unknown, expired or revoked (send `Authorization: Bearer …`)")
            return actor, None
        return actor_for_session(session, cookie or "", at=clock.now())
