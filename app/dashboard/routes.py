"""Dashboard pages."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse

from app.api.access import Caller
from app.api.deps import SessionDep, SettingsDep
from app.api.language import RequestLanguage
from app.dashboard.assets import SWAGGER_CSS, SWAGGER_FAVICON, SWAGGER_JS
from app.dashboard.donor_view import build_donor_view
from app.dashboard.map import build_dashboard
from app.dashboard.user import for_user
from app.domain.access import allowed
from app.services.dashboard.figures import filter_choices
from app.services.dashboard.funded import funded_release_extent
from app.services.dashboard.map_layers import area_extent

router = APIRouter(tags=["dashboard"], include_in_schema=False)


@router.get("/")
def home() -> RedirectResponse:
    """The dashboard is the front page."""
    return RedirectResponse("/map")


@router.get("/openapi.json")
def openapi_schema(request: Request) -> JSONResponse:
    """The OpenAPI document of this API (for logged-in users and their tools)."""
    return JSONResponse(request.app.openapi())


@router.get("/docs", response_class=HTMLResponse)
def api_docs() -> HTMLResponse:
    """Interactive API documentation, with Swagger UI served by this app rather than a CDN."""
    return get_swagger_ui_html(
        openapi_url="/openapi.json",
        title="Mine Action Information System: API",
        swagger_js_url=SWAGGER_JS,
        swagger_css_url=SWAGGER_CSS,
        swagger_favicon_url=SWAGGER_FAVICON,
    )


@router.get("/map", response_class=HTMLResponse)
def dashboard(
    request: Request, session: SessionDep, settings: SettingsDep, actor: Caller, language: RequestLanguage
) -> HTMLResponse:
    """The coordination dashboard (map, filters, ranked list, details, figures); a donor's released land and report.

    The page names who is logged in and carries the session's CSRF token, so it is never stored.
    """
    if actor.is_donor:
        page = build_donor_view(
            bounds=funded_release_extent(session, actor.donor_id) if actor.donor_id is not None else None,
            basemap_url=settings.basemap_url,
            basemap_attribution=settings.basemap_attribution,
            language=language,
        )
    else:
        page = build_dashboard(
            bounds=area_extent(session),
            basemap_url=settings.basemap_url,
            basemap_attribution=settings.basemap_attribution,
            choices=filter_choices(session, language),
            accidents=allowed(actor, "read.accidents"),
            figures=allowed(actor, "read.figures"),
            language=language,
            tasking=allowed(actor, "task.create") or allowed(actor, "task.progress"),
        )
    page = for_user(page, actor, csrf=getattr(request.state, "csrf", None), language=language, path="/map")
    return HTMLResponse(page, headers={"Cache-Control": "no-store", "Content-Language": language})
