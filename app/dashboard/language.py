"""The visible language switch: remembers the choice in a cookie and goes back to the page it came from."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException
from fastapi.responses import RedirectResponse

from app.i18n import LANGUAGE_COOKIE, LANGUAGE_NAMES, LANGUAGES, gettext

router = APIRouter(tags=["dashboard"], include_in_schema=False)
ONE_YEAR = 365 * 24 * 3600


@router.get("/language/{language}")
def switch_language(language: str, next: str = "/map") -> RedirectResponse:
    """Answer in `language` from now on (a cookie, not an account setting: it works before logging in too)."""
    if language not in LANGUAGES:
        raise HTTPException(404, f"no such language: {language!r}; known: {', '.join(LANGUAGES)}")
    # Only a path on this site: an absolute or scheme-relative URL would make this an open redirect.
    target = next if next.startswith("/") and not next.startswith("//") and "\\" not in next else "/map"
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(LANGUAGE_COOKIE, language, max_age=ONE_YEAR, samesite="lax", httponly=False)
    return response


def switch_html(current: str, path: str) -> str:
    """Links to the other languages, each named in itself, for the head of every page."""
    from html import escape
    from urllib.parse import quote

    links = [
        f'<a href="/language/{code}?next={quote(path, safe="")}" lang="{code}" hreflang="{code}">{escape(name)}</a>'
        for code, name in LANGUAGE_NAMES.items()
        if code != current
    ]
    label = escape(gettext(current, "Language"))
    return f'<nav class="language-switch" aria-label="{label}">{" ".join(links)}</nav>'
