"""`/api/v1/activities`: non-technical and technical survey, clearance, BAC and EOD spot tasks."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from app.api.access import Caller
from app.api.deps import SessionDep, SettingsDep
from app.api.etags import IfMatch, tagged
from app.api.params import comma_list, page_limit
from app.api.responses import page_links, split_page
from app.domain.vocabulary import ACTIVITY_STATUSES, ACTIVITY_TYPES
from app.schemas.activity import ActivityCreate, ActivityFields, ActivityPage, ActivityPublic
from app.services.land_release import activities as service
from app.services.pagination import decode_cursor

router = APIRouter(prefix="/api/v1/activities", tags=["activities"])
ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"description": "No such activity, organisation, area or task"},
    409: {"description": "Not allowed by the lifecycle (the body names the allowed states)"},
    410: {"description": "Deleted"},
    422: {"description": "Invalid attributes; the body says what and how to fix it"},
}


@router.get("", response_model=ActivityPage, responses={422: ERRORS[422]})
def list_activities(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    organisation_id: int | None = None,
    type: Annotated[list[str] | None, Query(description=", ".join(ACTIVITY_TYPES))] = None,
    status: Annotated[list[str] | None, Query(description=", ".join(ACTIVITY_STATUSES))] = None,
    hazardous_area_id: int | None = None,
    task_id: int | None = None,
    limit: int | None = None,
    cursor: str | None = None,
) -> ActivityPage:
    """Live activities in pages linked by `next`."""
    size = page_limit(limit, settings.page_limit_default, settings.page_limit_max)
    flt = service.ActivityFilter(
        organisation_id=organisation_id,
        type=comma_list("type", type, ACTIVITY_TYPES),
        status=comma_list("status", status, ACTIVITY_STATUSES),
        hazardous_area_id=hazardous_area_id,
        task_id=task_id,
    )
    rows = service.list_activities(session, flt, after_id=decode_cursor(cursor), limit=size + 1)
    page, more = split_page(rows, size)
    return ActivityPage(
        items=[ActivityPublic.model_validate(dict(row)) for row in page],
        numberReturned=len(page),
        links=page_links(request, page[-1]["id"] if more else None, size, "application/json"),
    )


@router.post("", status_code=201, response_model=ActivityPublic, responses=ERRORS)
def create_activity(body: ActivityCreate, session: SessionDep, actor: Caller) -> ActivityPublic:
    """Record an activity; one under way moves its open areas to worked on."""
    activity_id = service.create_activity(session, body, actor=actor)
    return ActivityPublic.model_validate(dict(service.get_activity(session, activity_id)))


@router.get("/{activity_id}", response_model=ActivityPublic, responses=ERRORS)
def get_activity(activity_id: int, session: SessionDep, response: Response) -> ActivityPublic:
    """One activity with the m² it released by kind and the devices it found; `ETag` for If-Match."""
    return _tagged(ActivityPublic.model_validate(dict(service.get_activity(session, activity_id))), response)


@router.patch("/{activity_id}", response_model=ActivityPublic, responses=ERRORS)
def update_activity(
    activity_id: int,
    body: ActivityFields,
    session: SessionDep,
    actor: Caller,
    if_match: IfMatch,
    response: Response,
) -> ActivityPublic:
    """Correct an activity or move it along planned → ongoing ⇄ suspended → completed (or cancelled)."""
    service.update_activity(session, activity_id, body, actor=actor, if_match=if_match)
    return _tagged(ActivityPublic.model_validate(dict(service.get_activity(session, activity_id))), response)


def _tagged(activity: ActivityPublic, response: Response) -> ActivityPublic:
    tagged(response, activity.id, activity.updated_at)
    return activity
