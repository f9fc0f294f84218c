"""Who may do what (docs/permissions.md): roles, the capabilities they grant, and the one check.

The national authority's information managers (admin) do everything; coordinators task, deconflict,
set scenarios and keep the register of areas; operators report their own organisation's work;
donors read what they fund; viewers read. Personal data of victims is the admin's alone
(docs/mine-action.md §7). Services call `require` before they change anything, so the rules
hold for every caller, not only for the HTTP routes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

from app.domain.errors import Forbidden

Role = Literal["admin", "coordinator", "operator", "donor", "viewer"]
ROLES: tuple[Role, ...] = get_args(Role)
DONOR: Role = "donor"  # the one role tied to a donor record (what it funds is what its officer reads)
# Not a role anyone holds: an anonymous caller when the programme publishes its map (MAIS_PUBLIC_READ).
PUBLIC = "public"

Capability = Literal[
    "read.reference",
    "read.registry",
    "read.finds",
    "read.accidents",
    "read.victim_identities",
    "read.figures",
    "read.funding",
    "read.reports",
    "read.released_land",
    "read.audit",
    "area.edit",
    "area.restore",
    "organisation.edit",
    "activity.edit",
    "release.record",
    "find.record",
    "task.create",
    "task.status",
    "task.override",
    "task.qa",
    "task.progress",
    "accident.edit",
    "scenario.edit",
    "funding.edit",
    "expenditure.record",
    "beneficiaries.record",
    "user.manage",
    "data.import",
    "account.own",
]
CAPABILITIES: tuple[Capability, ...] = get_args(Capability)

_READERS = ("admin", "coordinator", "operator", "viewer")
# Who holds each capability. "public" stands for anonymous callers when public reading is on:
# never precise device locations, accidents or anything personal (docs/mine-action.md §7).
GRANTS: dict[Capability, tuple[str, ...]] = {
    "read.reference": (*_READERS, "donor", PUBLIC),
    "read.registry": (*_READERS, PUBLIC),
    "read.finds": _READERS,
    "read.accidents": _READERS,
    "read.victim_identities": ("admin",),
    "read.figures": (*_READERS, PUBLIC),
    # Donor officers read their own donor's funding in its report, narrowed there (app/reporting/scope.py).
    "read.funding": _READERS,
    "read.reports": (*_READERS, "donor", PUBLIC),
    "read.released_land": (*_READERS, "donor", PUBLIC),
    "read.audit": ("admin", "coordinator"),
    "area.edit": ("admin", "coordinator"),
    "area.restore": ("admin",),
    "organisation.edit": ("admin",),
    "activity.edit": ("admin", "operator"),
    "release.record": ("admin", "operator"),
    "find.record": ("admin", "operator"),
    "task.create": ("admin", "coordinator"),
    "task.status": ("admin", "coordinator", "operator"),
    "task.override": ("admin", "coordinator"),
    "task.qa": ("admin", "coordinator"),
    "task.progress": ("admin", "operator"),
    "accident.edit": ("admin", "coordinator"),
    "scenario.edit": ("admin", "coordinator"),
    "funding.edit": ("admin",),
    "expenditure.record": ("admin", "operator"),
    "beneficiaries.record": ("admin", "operator"),
    "user.manage": ("admin",),
    # Bringing a dataset in touches many organisations' records at once: information management's job.
    "data.import": ("admin", "coordinator"),
    "account.own": ROLES,
}
# Capabilities an operator holds for its own organisation's records only; the check needs the record's organisation.
OWN_ORGANISATION: frozenset[Capability] = frozenset(
    {
        "activity.edit",
        "release.record",
        "find.record",
        "task.status",
        "task.progress",
        "expenditure.record",
        "beneficiaries.record",
    }
)
SCOPED_ROLES = frozenset({"operator"})
# What each capability lets one do, for refusals that say what was refused.
DOING: dict[Capability, str] = {
    "read.reference": "read the reference lists, settlements and the page itself",
    "read.registry": "read the register of areas and work",
    "read.finds": "read where devices were found",
    "read.accidents": "read accidents",
    "read.victim_identities": "read victims' names and contacts",
    "read.figures": "read the dashboard's figures",
    "read.funding": "read funding",
    "read.reports": "read donor reports",
    "read.released_land": "read released land",
    "read.audit": "read the audit trail",
    "area.edit": "record or correct hazardous areas",
    "area.restore": "restore deleted areas",
    "organisation.edit": "record or correct organisations",
    "activity.edit": "record or correct activities",
    "release.record": "record land releases",
    "find.record": "record devices found",
    "task.create": "create tasks",
    "task.status": "change a task's status",
    "task.override": "override a deconfliction warning",
    "task.qa": "pass or fail a task's quality assurance",
    "task.progress": "report progress on tasks",
    "accident.edit": "record or delete accidents",
    "scenario.edit": "change priority scenarios",
    "funding.edit": "record donors and funding agreements",
    "expenditure.record": "report expenditure",
    "beneficiaries.record": "record beneficiaries",
    "user.manage": "manage user accounts",
    "data.import": "import files and keep import mappings",
    "account.own": "manage your own API tokens",
}


@dataclass(frozen=True)
class Actor:
    """Who is acting: a user with a role in an organisation, or the system itself (command line, seed)."""

    name: str
    role: str
    user_id: int | None = None
    organisation_id: int | None = None
    donor_id: int | None = None  # a donor officer reads what this donor funds

    @classmethod
    def system(cls, name: str) -> Actor:
        """The command line and the demo seed act with every right; the audit trail names them."""
        return cls(name=name, role="admin")

    @property
    def is_donor(self) -> bool:
        """A donor officer: reads only what its donor funds."""
        return self.role == "donor"


def funded_donor(actor: Actor) -> int:
    """The donor a donor officer reads for; 403 for an officer's account that names none."""
    if actor.donor_id is None:
        raise Forbidden("this donor account names no donor: ask the information manager to set its donor_id")
    return actor.donor_id


def allowed(actor: Actor, capability: Capability) -> bool:
    """Whether the actor's role grants the capability at all (for some record)."""
    return actor.role in GRANTS[capability]


def require(actor: Actor, capability: Capability, *, organisation_id: int | None = None) -> None:
    """Refuse (403, saying why) unless the actor may use the capability on a record of `organisation_id`.

    For the capabilities an operator holds only for its own organisation, pass the organisation of
    the record concerned; it is a programming error to leave it out.
    """
    if not allowed(actor, capability):
        raise Forbidden(f"the role {actor.role} may not {DOING[capability]}", role=actor.role)
    if actor.role in SCOPED_ROLES and capability in OWN_ORGANISATION:
        if organisation_id is None:
            raise TypeError(f"{capability} is scoped to an organisation: pass the record's organisation_id")
        if organisation_id != actor.organisation_id:
            raise Forbidden(
                f"an operator may {DOING[capability]} only for its own organisation",
                role=actor.role,
                organisation_id=organisation_id,
            )
