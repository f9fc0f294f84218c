"""What the map page's tasking.js needs to know of the rules on tasks: who may do what, and with which tasks.

The page is built once and kept for every user of the same inputs (app/dashboard/map.py), so it
carries the rules, not the user's rights: tasking.js reads the user's role and organisation from
`/api/v1/me` and applies these. The server checks every change again (app/domain/access.py);
this only spares a user a button that would be refused. docs/tasking.md.
"""

from __future__ import annotations

from typing import Any, get_args

from app.domain.access import GRANTS, OWN_ORGANISATION, SCOPED_ROLES, Capability
from app.domain.vocabulary import ACTIVE_TASK_STATUSES, WORK_STARTED_TASK_STATUSES, NewTaskStatus

TASKING_CAPABILITIES: tuple[Capability, ...] = ("task.create", "task.override", "task.progress")


def tasking_rules() -> dict[str, Any]:
    """Roles granted each tasking capability, which of them hold it for their own organisation only, the statuses."""
    return {
        "grants": {c: list(GRANTS[c]) for c in TASKING_CAPABILITIES},
        "own_organisation": [c for c in TASKING_CAPABILITIES if c in OWN_ORGANISATION],
        "scoped_roles": sorted(SCOPED_ROLES),
        "new_statuses": list(get_args(NewTaskStatus)),
        "active_statuses": list(ACTIVE_TASK_STATUSES),
        # Progress is taken once work started; the form offers it on tasks still active as well.
        "progress_statuses": [s for s in WORK_STARTED_TASK_STATUSES if s in ACTIVE_TASK_STATUSES],
    }
