"""The ASGI application: API routers, dashboard, vendored assets, error mapping."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, Depends, FastAPI
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import SQLAlchemyError

from app.api import (
    accidents,
    accounts,
    activities,
    admin_units,
    audit,
    beneficiaries,
    devices_found,
    donors,
    exports,
    funding_agreements,
    hazardous_areas,
    imports,
    ogc,
    organisations,
    priorities,
    quality,
    releases,
    reports,
    system,
    tasks,
    tiles,
)
from app.api import dashboard as dashboard_api
from app.api.access import check_every_route_has_a_rule, guard
from app.api.anonymous_writes import RefuseAnonymousWrites
from app.api.caching import PrivateByDefault
from app.api.errors import install_error_handlers
from app.api.request_id import RequestIdMiddleware
from app.api.upload_limits import CheckUploads
from app.config import get_settings
from app.dashboard import language, login
from app.dashboard import reports as reports_page
from app.dashboard import routes as dashboard
from app.dashboard.assets import APP_STATIC_DIR, VENDOR_DIR, require_vendor_assets
from app.db.audit import audit_session
from app.db.session import get_engine, new_session
from app.domain.access import Actor
from app.logging import configure_logging
from app.services.importing.jobs import abandon_interrupted_jobs
from app.services.priorities.scenarios import create_default_scenarios

log = logging.getLogger(__name__)
ROUTERS: list[APIRouter] = [
    system.router,
    login.router,
    language.router,
    accounts.router,
    hazardous_areas.router,
    organisations.router,
    activities.router,
    releases.router,
    tasks.router,
    devices_found.router,
    accidents.router,
    priorities.router,
    donors.router,
    funding_agreements.router,
    beneficiaries.router,
    reports.router,
    tiles.router,
    audit.router,
    imports.router,
    exports.router,
    ogc.router,
    admin_units.router,
    quality.router,
    dashboard_api.router,
    dashboard.router,
    reports_page.router,
]


@asynccontextmanager
async def lifespan(_: FastAPI) -> AsyncIterator[None]:
    """Refuse to start without the vendored map assets; give a new programme its default scenarios; close the pool."""
    require_vendor_assets()
    if get_settings().default_scenarios:
        _default_scenarios()
    _abandon_interrupted_imports()
    yield
    get_engine().dispose()


def _abandon_interrupted_imports() -> None:
    """Imports the last stop cut short are failed, not left running forever (a database down is logged)."""
    try:
        abandon_interrupted_jobs()
    except SQLAlchemyError as error:
        log.warning("interrupted imports not checked: %s", str(error).splitlines()[0])


def _default_scenarios() -> None:
    """The default priority scenarios when there are none, so that rankings and the map work from the first start.

    A database that cannot be reached or is not migrated yet does not stop the start: the health
    check says so, and `mais migrate` creates the scenarios too.
    """
    try:
        with new_session() as session:
            audit_session(session, actor=Actor.system("system"), request="application start")
            created = create_default_scenarios(session, user="system")
            session.commit()
    except SQLAlchemyError as error:
        log.warning("default priority scenarios not checked: %s", str(error).splitlines()[0])
        return
    if created:
        log.info("created the default priority scenarios: %s", ", ".join(created))


def create_app() -> FastAPI:
    """Build the application."""
    configure_logging(get_settings().log_level)
    app = FastAPI(
        title="Mine Action Information System",
        summary="Hazardous areas, land release, priorities and donor reporting on PostGIS",
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,  # served by the dashboard with local assets, behind the login like the schema
        redoc_url=None,
        openapi_url=None,
    )
    install_error_handlers(app)
    app.add_middleware(CheckUploads)  # innermost: a refused upload is never read
    app.add_middleware(RefuseAnonymousWrites)  # before the body is read; inside the request id: its 401s carry one
    app.add_middleware(PrivateByDefault)
    # Field offices work over slow links: tiles, pages and JSON shrink 3-5x; level 5 keeps the CPU cost low.
    app.add_middleware(GZipMiddleware, minimum_size=1024, compresslevel=5)
    app.add_middleware(RequestIdMiddleware)  # outermost: the error handlers' log lines carry the id
    # Every route passes the guard: the caller needs the capability app/api/access.py names for it.
    check_every_route_has_a_rule(ROUTERS)
    for router in ROUTERS:
        app.include_router(router, dependencies=[Depends(guard)])
    app.mount("/static/vendor", StaticFiles(directory=VENDOR_DIR, check_dir=False), name="vendor")
    app.mount("/static/app", StaticFiles(directory=APP_STATIC_DIR), name="app-static")
    return app


app = create_app()
