"""Who is looking at a page: name, role and a log-out button, and the session's CSRF token for the page's script.

Map pages are built once and kept (app/dashboard/map.py); these per-user parts go into the kept
page on every request, at two fixed slots, so no user's name or token is ever kept for another.
"""

from __future__ import annotations

from html import escape

from app.dashboard.language import switch_html
from app.domain.access import PUBLIC, Actor
from app.i18n import DEFAULT_LANGUAGE, translator

HEAD_SLOT = "<!--mais:head-->"
USER_SLOT = "<!--mais:user-->"


def for_user(page: str, actor: Actor, *, csrf: str | None, language: str = DEFAULT_LANGUAGE, path: str = "/map") -> str:
    """The kept page with the actor's name, role and log-out button, and the CSRF token of a login session.

    A page opened with an API token has no session and so no token; an anonymous reader (public
    reading) is offered the login instead.
    """
    head = f'<meta name="csrf-token" content="{escape(csrf)}">' if csrf else ""
    _ = translator(language)
    switch = switch_html(language, path)
    if actor.role == PUBLIC:
        bar = f'<div id="user"><a href="/login">{_("Log in")}</a>{switch}</div>'
    else:
        bar = (
            f'<div id="user" aria-label="{_("Logged in as")}"><span class="who">{escape(actor.name)}</span>'
            f'<span class="role">{escape(_(actor.role))}</span>'
            f'<form method="post" action="/logout"><button type="submit">{_("Log out")}</button></form>{switch}</div>'
        )
    return page.replace(HEAD_SLOT, head, 1).replace(USER_SLOT, bar, 1)
