"""Dashboard pages."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, RedirectResponse

from app.api.deps import SessionDep, SettingsDep
from app.dashboard.assets import SWAGGER_CSS, SWAGGER_FAVICON, SWAGGER_JS
from app.dashboard.map import build_dashboard
from app.services.dashboard.figures import filter_choices
from app.services.dashboard.map_layers import area_extent

router = APIRouter(tags=["dashboard"], include_in_schema=False)


@router.get("/")
def home() -> RedirectResponse:
    """The dashboard is the front page."""
    return RedirectResponse("/map")


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
def dashboard(session: SessionDep, settings: SettingsDep) -> HTMLResponse:
    """The coordination dashboard: map, filters, ranked list, details and headline figures."""
    page = build_dashboard(
        bounds=area_extent(session),
        basemap_url=settings.basemap_url,
        basemap_attribution=settings.basemap_attribution,
        choices=filter_choices(session),
    )
    return HTMLResponse(page)
