"""The login page, login and logout: a browser's session cookie (HttpOnly, SameSite=Lax, Secure in production).

Scripts do not log in here: they send an API token (`Authorization: Bearer …`, see /api/v1/tokens).
"""

from __future__ import annotations

import logging
from html import escape
from typing import Annotated
from urllib.parse import quote, urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.api.credentials import COOKIE
from app.api.deps import SessionDep, SettingsDep
from app.api.language import RequestLanguage
from app.dashboard.assets import APP_STATIC_URL
from app.dashboard.language import switch_html
from app.domain.errors import Forbidden
from app.i18n import DEFAULT_LANGUAGE, translate_text, translator
from app.services.accounts.sessions import LoginThrottled, log_in, log_out

log = logging.getLogger(__name__)
router = APIRouter(tags=["login"], include_in_schema=False)


def page(
    *, next_url: str = "/map", error: str | None = None, status_code: int = 200, language: str = DEFAULT_LANGUAGE
) -> HTMLResponse:
    """The login form in `language`, with the switch to the other; `next_url` is where a successful login goes."""
    _ = translator(language)
    here = "/login" + (f"?next={quote(next_url, safe='')}" if next_url != "/map" else "")
    message = f'<p class="error" role="alert">{escape(translate_text(language, "login", error))}</p>' if error else ""
    html = f"""<!doctype html>
<html lang="{escape(language)}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(_("Log in"))} · {escape(_("Mine action information system"))}</title>
<link rel="stylesheet" href="{APP_STATIC_URL}/login.css"></head>
<body><header>{switch_html(language, here)}</header>
<main>
<h1 id="login-title">{escape(_("Mine action information system"))}</h1>
<p>{escape(_("Log in with the account your programme's information manager gave you."))}</p>
{message}
<form method="post" action="/login" aria-labelledby="login-title">
  <input type="hidden" name="next" value="{escape(next_url)}">
  <label for="username">{escape(_("Username"))}</label>
  <input type="text" id="username" name="username" autocomplete="username" autocapitalize="none" required autofocus>
  <label for="password">{escape(_("Password"))}</label>
  <input type="password" id="password" name="password" autocomplete="current-password" required>
  <button type="submit">{escape(_("Log in"))}</button>
</form>
</main></body></html>"""
    headers = {"Cache-Control": "no-store", "Content-Language": language}
    return HTMLResponse(html, status_code=status_code, headers=headers)


def _local(url: str | None) -> str:
    """Where to go after logging in: a path on this site only (never another host: no open redirect)."""
    try:
        elsewhere = not url or not url.startswith("/") or url.startswith("//") or bool(urlsplit(url).netloc)
    except ValueError:  # not a URL at all ('/\t/[')
        elsewhere = True
    return "/map" if elsewhere or url is None else url


def _same_origin(request: Request) -> None:
    """A login or logout posted from another site is refused (login CSRF).

    Browsers say where a POST comes from: `Sec-Fetch-Site` (all current ones) and `Origin`. An
    `Origin: null` (a sandboxed frame, a redirect through another site) is refused too. Behind a
    proxy that rewrites Host, the forwarded host is this site's name.
    """
    site = request.headers.get("sec-fetch-site")
    if site is not None and site not in ("same-origin", "none"):
        raise Forbidden("log in from this site's own login page")
    origin = request.headers.get("origin")
    if origin is None:
        return
    hosts = {request.headers.get("host"), request.headers.get("x-forwarded-host")} - {None}
    try:
        netloc = urlsplit(origin).netloc
    except ValueError:
        netloc = ""
    if origin == "null" or netloc not in hosts:
        raise Forbidden("log in from this site's own login page")


@router.get("/login", response_class=HTMLResponse)
def login_page(language: RequestLanguage, next: str | None = None) -> HTMLResponse:
    """The login form, in the language the browser asks for or the switch chose."""
    return page(next_url=_local(next), language=language)


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    language: RequestLanguage,
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=1024)],
    next: Annotated[str | None, Form()] = None,
) -> Response:
    """Check the username and password; on success set the session cookie and go on to `next`."""
    _same_origin(request)
    try:
        done = log_in(session, username, password, hours=settings.session_hours)
    except LoginThrottled as refused:
        return page(next_url=_local(next), error=refused.detail, status_code=429, language=language)
    if done is None:
        return page(next_url=_local(next), error="Wrong username or password.", status_code=401, language=language)
    if previous := request.cookies.get(COOKIE):
        log_out(session, previous)  # one browser, one session: the one it had ends here
    answer = RedirectResponse(_local(next), status_code=303)
    answer.set_cookie(
        COOKIE,
        done.session_id,
        # No max-age: the cookie goes when the browser closes (shared field-office machines); the
        # server ends the session after MAIS_SESSION_HOURS whatever the browser keeps.
        httponly=True,
        samesite="lax",
        secure=settings.production,
        path="/",
    )
    return answer


@router.post("/logout")
def logout(request: Request, session: SessionDep) -> RedirectResponse:
    """End the session (it opens nothing any more, even if the cookie was copied) and go to the login page."""
    _same_origin(request)
    if cookie := request.cookies.get(COOKIE):
        log_out(session, cookie)
    answer = RedirectResponse("/login", status_code=303)
    answer.delete_cookie(COOKIE, path="/")
    return answer
