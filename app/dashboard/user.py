"""Who is looking at a page: name, role and a log-out button, and the session's CSRF token for the page's script.

Map pages are built once and kept (app/dashboard/map.py); these per-user parts go into the kept
page on every request, at two fixed slots, so no user's name or token is ever kept for another.
"""

from __future__ import annotations

from html import escape

from app.domain.access import PUBLIC, Actor

HEAD_SLOT = "<!--mais:head-->"
USER_SLOT = "<!--mais:user-->"


def for_user(page: str, actor: Actor, *, csrf: str | None) -> str:
    """The kept page with the actor's name, role and log-out button, and the CSRF token of a login session.

    A page opened with an API token has no session and so no token; an anonymous reader (public
    reading) is offered the login instead.
    """
    head = f'<meta name="csrf-token" content="{escape(csrf)}">' if csrf else ""
    if actor.role == PUBLIC:
        bar = '<div id="user"><a href="/login">Log in</a></div>'
    else:
        bar = (
            f'<div id="user" aria-label="Logged in as"><span class="who">{escape(actor.name)}</span>'
            f'<span class="role">{escape(actor.role)}</span>'
            '<form method="post" action="/logout"><button type="submit">Log out</button></form></div>'
        )
    return page.replace(HEAD_SLOT, head, 1).replace(USER_SLOT, bar, 1)
