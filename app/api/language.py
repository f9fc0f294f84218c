"""The language of a request: `?lang=`, then the switch's cookie, then the browser's Accept-Language (app/i18n)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from app.i18n import LANGUAGE_COOKIE, Language, negotiate


def request_language(request: Request) -> Language:
    """The language this request is answered in (English when nothing asks for Ukrainian)."""
    chosen = request.query_params.get("lang") or request.cookies.get(LANGUAGE_COOKIE)
    return negotiate(request.headers.get("accept-language"), chosen)


RequestLanguage = Annotated[Language, Depends(request_language)]
