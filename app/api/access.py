"""Who may call each route: one table, checked before any route runs (docs/permissions.md).

Every route of the application has exactly one entry: the capability its caller needs, or OPEN for
the few that anyone may call (health check, login). The app refuses to start if a route has no
entry (`check_every_route_has_a_rule`), so a route added without a rule cannot ship. This is the
first gate; the services check again, with the record in hand, what belongs to an organisation
(app/domain/access.py).
"""

from __future__ import annotations

import hmac
import logging
from typing import Annotated, Final

from fastapi import APIRouter, Depends, Request
from fastapi.routing import APIRoute

from app.api.credentials import resolve
from app.config import get_settings
from app.domain.access import GRANTS, PUBLIC, Actor, Capability, allowed
from app.domain.errors import Forbidden, Unauthenticated

log = logging.getLogger(__name__)
OPEN: Final = "open"
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
V1 = "/api/v1"

RULES: dict[tuple[str, str], Capability | str] = {
    # the system, the login and the pages
    ("GET", "/healthz"): OPEN,
    ("GET", "/login"): OPEN,
    ("POST", "/login"): OPEN,
    ("POST", "/logout"): OPEN,
    ("GET", "/language/{language}"): OPEN,
    ("GET", "/"): OPEN,
    ("GET", "/map"): "read.reference",
    ("GET", "/reports"): "read.reports",
    ("GET", "/docs"): "read.reference",
    ("GET", "/openapi.json"): "read.reference",
    ("GET", f"{V1}/lookups"): "read.reference",
    # accounts
    ("GET", f"{V1}/me"): "account.own",
    ("GET", f"{V1}/tokens"): "account.own",
    ("POST", f"{V1}/tokens"): "account.own",
    ("POST", f"{V1}/tokens/{{token_id}}/revoke"): "account.own",
    ("GET", f"{V1}/users"): "user.manage",
    ("POST", f"{V1}/users"): "user.manage",
    ("GET", f"{V1}/users/{{user_id}}"): "user.manage",
    ("PATCH", f"{V1}/users/{{user_id}}"): "user.manage",
    # the register of areas
    ("GET", f"{V1}/hazardous-areas"): "read.registry",
    ("GET", f"{V1}/exports/mais.{{extension}}"): "read.registry",  # and each layer's own capability
    # OGC API – Features: each collection also needs its own capability (app/services/ogc/collections.py)
    ("GET", "/ogc"): "read.reference",
    ("GET", "/ogc/api"): "read.reference",
    ("GET", "/ogc/conformance"): "read.reference",
    ("GET", "/ogc/collections"): "read.reference",
    ("GET", "/ogc/collections/{collection_id}"): "read.reference",
    ("GET", "/ogc/collections/{collection_id}/queryables"): "read.reference",
    ("GET", "/ogc/collections/{collection_id}/items"): "read.reference",
    ("GET", "/ogc/collections/{collection_id}/items/{item_id}"): "read.reference",
    ("POST", f"{V1}/hazardous-areas"): "area.edit",
    ("GET", f"{V1}/hazardous-areas/{{area_id}}"): "read.registry",
    ("PATCH", f"{V1}/hazardous-areas/{{area_id}}"): "area.edit",
    ("DELETE", f"{V1}/hazardous-areas/{{area_id}}"): "area.edit",
    ("POST", f"{V1}/hazardous-areas/{{area_id}}/restore"): "area.restore",
    ("POST", f"{V1}/hazardous-areas/{{area_id}}/status"): "area.edit",
    ("POST", f"{V1}/hazardous-areas/{{area_id}}/classification"): "area.edit",
    ("GET", f"{V1}/hazardous-areas/{{area_id}}/timeline"): "read.registry",
    ("GET", f"{V1}/organisations"): "read.registry",
    ("POST", f"{V1}/organisations"): "organisation.edit",
    ("GET", f"{V1}/organisations/{{org_id}}"): "read.registry",
    ("PATCH", f"{V1}/organisations/{{org_id}}"): "organisation.edit",
    ("DELETE", f"{V1}/organisations/{{org_id}}"): "organisation.edit",
    # the work and what it released
    ("GET", f"{V1}/activities"): "read.registry",
    ("POST", f"{V1}/activities"): "activity.edit",
    ("GET", f"{V1}/activities/{{activity_id}}"): "read.registry",
    ("PATCH", f"{V1}/activities/{{activity_id}}"): "activity.edit",
    ("GET", f"{V1}/releases"): "read.registry",
    ("POST", f"{V1}/releases"): "release.record",
    ("GET", f"{V1}/releases/{{release_id}}"): "read.registry",
    ("GET", f"{V1}/tasks"): "read.registry",
    ("POST", f"{V1}/tasks"): "task.create",
    ("POST", f"{V1}/tasks/check"): "task.create",
    ("GET", f"{V1}/tasks/{{task_id}}"): "read.registry",
    ("POST", f"{V1}/tasks/{{task_id}}/status"): "task.status",
    ("GET", f"{V1}/tasks/{{task_id}}/progress-reports"): "read.registry",
    ("POST", f"{V1}/tasks/{{task_id}}/progress-reports"): "task.progress",
    ("GET", f"{V1}/devices-found"): "read.finds",
    ("POST", f"{V1}/devices-found"): "find.record",
    ("GET", f"{V1}/devices-found/{{find_id}}"): "read.finds",
    ("GET", f"{V1}/accidents"): "read.accidents",
    ("POST", f"{V1}/accidents"): "accident.edit",
    ("GET", f"{V1}/accidents/{{accident_id}}"): "read.accidents",
    ("DELETE", f"{V1}/accidents/{{accident_id}}"): "accident.edit",
    ("GET", f"{V1}/accidents/{{accident_id}}/identities"): "read.victim_identities",
    # priorities
    ("GET", f"{V1}/priority-criteria"): "read.reference",
    ("GET", f"{V1}/priority-scenarios"): "read.registry",
    ("POST", f"{V1}/priority-scenarios"): "scenario.edit",
    ("GET", f"{V1}/priority-scenarios/{{scenario_id}}"): "read.registry",
    ("PATCH", f"{V1}/priority-scenarios/{{scenario_id}}"): "scenario.edit",
    ("GET", f"{V1}/priority-scenarios/{{scenario_id}}/versions"): "read.registry",
    ("GET", f"{V1}/priorities"): "read.registry",
    ("GET", f"{V1}/priorities/compare"): "read.registry",
    ("POST", f"{V1}/priorities/recompute"): "scenario.edit",
    # funding and reports
    ("GET", f"{V1}/donors"): "read.funding",
    ("POST", f"{V1}/donors"): "funding.edit",
    ("GET", f"{V1}/donors/{{donor_id}}"): "read.funding",
    ("GET", f"{V1}/funding-agreements"): "read.funding",
    ("POST", f"{V1}/funding-agreements"): "funding.edit",
    ("GET", f"{V1}/funding-agreements/{{agreement_id}}"): "read.funding",
    ("POST", f"{V1}/funding-agreements/{{agreement_id}}/tasks"): "funding.edit",
    ("GET", f"{V1}/funding-agreements/{{agreement_id}}/expenditure"): "read.funding",
    ("POST", f"{V1}/funding-agreements/{{agreement_id}}/expenditure"): "expenditure.record",
    ("GET", f"{V1}/tasks/{{task_id}}/beneficiaries"): "read.funding",
    ("POST", f"{V1}/tasks/{{task_id}}/beneficiaries"): "beneficiaries.record",
    ("GET", f"{V1}/reports/tables"): "read.reports",
    ("GET", f"{V1}/reports/donor"): "read.reports",
    ("GET", f"{V1}/reports/donor/{{table}}.csv"): "read.reports",
    ("GET", f"{V1}/reports/donor.{{extension}}"): "read.reports",
    ("GET", f"{V1}/reports/iati.xml"): "read.reports",
    ("GET", f"{V1}/audit"): "read.audit",
    # bringing data in (Step 8)
    ("GET", f"{V1}/imports"): "data.import",
    ("POST", f"{V1}/imports"): "data.import",
    ("GET", f"{V1}/imports/{{job_id}}"): "data.import",
    ("GET", f"{V1}/imports/{{job_id}}/report"): "data.import",
    ("POST", f"{V1}/imports/{{job_id}}/cancel"): "data.import",
    ("GET", f"{V1}/import-mappings"): "data.import",
    ("POST", f"{V1}/import-mappings"): "data.import",
    ("GET", f"{V1}/quality"): "read.registry",
    ("GET", f"{V1}/admin-units"): "read.reference",
    # the dashboard's data
    ("GET", f"{V1}/dashboard/headline"): "read.figures",
    ("GET", f"{V1}/dashboard/areas/{{area_id}}"): "read.registry",
    ("GET", f"{V1}/dashboard/extent"): "read.registry",
    ("GET", f"{V1}/dashboard/accidents.geojson"): "read.accidents",
    ("GET", f"{V1}/dashboard/settlements.geojson"): "read.reference",
    ("GET", f"{V1}/dashboard/rank-bands"): "read.registry",
    ("GET", "/tiles/hazardous-areas/{z}/{x}/{y}.mvt"): "read.registry",
    ("GET", "/tiles/basemap/{z}/{x}/{y}.mvt"): "read.reference",
    # releases for everyone who reads released land (donors: what they fund); tasks need read.registry
    ("GET", "/tiles/{layer}/{z}/{x}/{y}.mvt"): "read.released_land",
}


def rule_of(method: str, path: str) -> Capability | str | None:
    """The capability a route needs (HEAD as GET), OPEN, or None when the route has no rule."""
    return RULES.get(("GET" if method == "HEAD" else method, path))


def routes_of(routers: list[APIRouter]) -> list[tuple[str, str]]:
    """(method, path) of every route of these routers, HEAD aside."""
    return [
        (method, route.path)
        for router in routers
        for route in router.routes
        if isinstance(route, APIRoute)
        for method in sorted(route.methods or ())
        if method != "HEAD"
    ]


def check_every_route_has_a_rule(routers: list[APIRouter]) -> None:
    """Refuse to build an app with a route nobody decided the permissions of."""
    missing = [f"{m} {p}" for m, p in routes_of(routers) if rule_of(m, p) is None]
    if missing:
        raise RuntimeError(f"routes without a permission rule in app/api/access.py: {', '.join(missing)}")


def _rule_for(request: Request) -> Capability | str:
    route = request.scope.get("route")
    path = str(getattr(route, "path_format", None) or getattr(route, "path", request.url.path))
    rule = rule_of(request.method, path)
    if rule is None:  # unreachable once check_every_route_has_a_rule passed; closed rather than open
        log.error("no permission rule for %s %s: refused", request.method, path)
        raise Forbidden("this route has no permission rule")
    return rule


def current_actor(request: Request) -> Actor | None:
    """Whoever the request's credentials name; None for an anonymous caller. Cached on the request."""
    if not hasattr(request.state, "actor"):
        found = resolve(request)
        request.state.actor, request.state.csrf = found or (None, None)
    actor: Actor | None = request.state.actor
    return actor


def guard(request: Request) -> Actor | None:
    """Let the request through if its caller may use the route; 401 if it must log in, 403 if not allowed."""
    rule = _rule_for(request)
    if rule == OPEN:  # a stale token must not lock anyone out of the login page or the health check
        try:
            return current_actor(request)
        except Unauthenticated:
            return None
    actor = current_actor(request)
    if actor is None:
        if get_settings().public_read and PUBLIC in GRANTS[rule]:  # type: ignore[index]
            return Actor(name="anonymous", role=PUBLIC)
        raise Unauthenticated("log in, or send an API token as `Authorization: Bearer …`")
    if not allowed(actor, rule):  # type: ignore[arg-type]
        raise Forbidden(f"the role {actor.role} may not use {request.method} {request.url.path}", role=actor.role)
    if request.method in WRITES and request.state.csrf is not None:
        _check_csrf(request, request.state.csrf)
    return actor


def _check_csrf(request: Request, expected: str) -> None:
    """A change made with the session cookie must carry the page's CSRF token: another site cannot read it."""
    given = request.headers.get("x-csrf-token", "")
    if not hmac.compare_digest(given.encode(), expected.encode()):
        raise Forbidden("a change from the browser must send the page's CSRF token in X-CSRF-Token")


def _caller(request: Request) -> Actor:
    actor = guard(request)
    if actor is None:  # an OPEN route that needs someone
        raise Unauthenticated("log in, or send an API token as `Authorization: Bearer …`")
    return actor


# The one acting, for routes that pass it to services (which check again with the record in hand).
Caller = Annotated[Actor, Depends(_caller)]
