"""The ASGI application: API routers, dashboard, vendored assets, error mapping."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.staticfiles import StaticFiles

from app.api import (
    accidents,
    activities,
    audit,
    beneficiaries,
    devices_found,
    donors,
    funding_agreements,
    hazardous_areas,
    organisations,
    priorities,
    releases,
    reports,
    system,
    tasks,
    tiles,
)
from app.api import dashboard as dashboard_api
from app.api.errors import install_error_handlers
from app.api.request_id import RequestIdMiddleware
from app.config import get_settings
from app.dashboard import routes as dashboard
from app.dashboard.assets import APP_STATIC_DIR, VENDOR_DIR, require_vendor_assets
from app.db.session import get_engine
from app.logging import configure_logging


@asynccontextmanager
async def lifespan(_: FastAPI) -> AsyncIterator[None]:
    """Refuse to start without the vendored map assets; close the pool on shutdown."""
    require_vendor_assets()
    yield
    get_engine().dispose()


def create_app() -> FastAPI:
    """Build the application."""
    configure_logging(get_settings().log_level)
    app = FastAPI(
        title="Mine Action Information System",
        summary="Hazardous areas, land release, priorities and donor reporting on PostGIS",
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,  # served by the dashboard with local assets
        redoc_url=None,
    )
    install_error_handlers(app)
    # Field offices work over slow links: tiles, pages and JSON shrink 3-5x; level 5 keeps the CPU cost low.
    app.add_middleware(GZipMiddleware, minimum_size=1024, compresslevel=5)
    app.add_middleware(RequestIdMiddleware)  # outermost: the error handlers' log lines carry the id
    app.include_router(system.router)
    app.include_router(hazardous_areas.router)
    app.include_router(organisations.router)
    app.include_router(activities.router)
    app.include_router(releases.router)
    app.include_router(tasks.router)
    app.include_router(devices_found.router)
    app.include_router(accidents.router)
    app.include_router(priorities.router)
    app.include_router(donors.router)
    app.include_router(funding_agreements.router)
    app.include_router(beneficiaries.router)
    app.include_router(reports.router)
    app.include_router(tiles.router)
    app.include_router(audit.router)
    app.include_router(dashboard_api.router)
    app.include_router(dashboard.router)
    app.mount("/static/vendor", StaticFiles(directory=VENDOR_DIR, check_dir=False), name="vendor")
    app.mount("/static/app", StaticFiles(directory=APP_STATIC_DIR), name="app-static")
    return app


app = create_app()
