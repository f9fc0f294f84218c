"""Priority scenarios: named, versioned weight sets."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.models import PriorityScenario, PriorityScenarioVersion
from app.domain.access import Actor, require
from app.domain.errors import Conflict, Invalid, NotFound
from app.schemas.priority import ScenarioCreate, ScenarioUpdate
from app.services.records import require_live, require_version, touch, version_of
from gis.priorities import Parameters, check_weights

# Starting points a programme adjusts; points per criterion, summing to 100 by convention.
DEFAULT_SCENARIOS: dict[str, tuple[str, dict[str, float]]] = {
    "humanitarian": (
        "People first: population, casualties, services, severity",
        {
            "population": 25,
            "casualties": 25,
            "services": 15,
            "device_severity": 10,
            "evidence": 10,
            "returns": 10,
            "feasibility": 5,
        },
    ),
    "agricultural recovery": (
        "Farmland back into production at reasonable cost",
        {
            "farmland": 35,
            "feasibility": 15,
            "population": 10,
            "casualties": 10,
            "roads": 10,
            "evidence": 10,
            "device_severity": 5,
            "returns": 5,
        },
    ),
    "infrastructure": (
        "Roads, power and services reopened",
        {
            "roads": 25,
            "infrastructure": 25,
            "services": 15,
            "population": 10,
            "casualties": 10,
            "feasibility": 10,
            "evidence": 5,
        },
    ),
}


def ensure_default_scenarios(session: Session, *, user: str) -> None:
    """Create the default scenarios that do not exist yet (in the caller's transaction)."""
    for name, (description, weights) in DEFAULT_SCENARIOS.items():
        if session.scalar(select(PriorityScenario.id).where(PriorityScenario.name == name)) is None:
            _create(session, ScenarioCreate(name=name, description=description, weights=weights), user=user)


def create_default_scenarios(session: Session, *, user: str) -> list[str]:
    """The default scenarios, when the programme has none at all; the names created (the caller commits).

    Run at application start and by `mais migrate`, so that rankings and the map work on a new
    install without the demo. Any scenario, even deleted, means the programme has made its choice.
    """
    if session.scalar(select(PriorityScenario.id).limit(1)) is not None:
        return []
    ensure_default_scenarios(session, user=user)
    session.flush()
    return list(DEFAULT_SCENARIOS)


def create_scenario(session: Session, body: ScenarioCreate, *, actor: Actor) -> int:
    """A new scenario at version 1 (the caller commits)."""
    require(actor, "scenario.edit")
    user = actor.name
    if session.scalar(select(PriorityScenario.id).where(PriorityScenario.name == body.name)) is not None:
        raise Conflict(f"a scenario named {body.name!r} already exists", field="name")
    scenario = _create(session, body, user=user)
    session.flush()
    return scenario.id


def update_scenario(session: Session, scenario_id: int, body: ScenarioUpdate, *, actor: Actor, if_match: str) -> None:
    """Save a new version when weights or parameters change, from the version the client read (the caller commits)."""
    require(actor, "scenario.edit")
    user = actor.name
    scenario = require_live(
        session.get(PriorityScenario, scenario_id, with_for_update=True), f"priority scenario {scenario_id}"
    )
    require_version(version_of(scenario.id, scenario.updated_at), if_match)
    current = current_version(session, scenario)
    if body.description is not None:
        scenario.description = body.description
    if body.weights is not None or body.parameters is not None:
        weights = _checked_weights(body.weights if body.weights is not None else current.weights)
        parameters = _checked_parameters(body.parameters if body.parameters is not None else current.parameters)
        scenario.version += 1
        session.add(
            PriorityScenarioVersion(
                scenario_id=scenario.id,
                version=scenario.version,
                weights=weights,
                parameters=parameters,
                note=body.note,
                created_by=user,
            )
        )
    touch(scenario, user)
    session.flush()


def live_scenario(session: Session, scenario_id: int) -> PriorityScenario:
    """A live scenario by id."""
    return require_live(session.get(PriorityScenario, scenario_id), f"priority scenario {scenario_id}")


def scenario_named(session: Session, name: str) -> PriorityScenario:
    """A live scenario by name, or 404 listing the names there are."""
    scenario = session.scalar(select(PriorityScenario).where(PriorityScenario.name == name))
    if scenario is None or scenario.deleted_at is not None:
        names = session.scalars(select(PriorityScenario.name).where(PriorityScenario.deleted_at.is_(None))).all()
        raise NotFound(f"no priority scenario named {name!r}; there are: {', '.join(sorted(names)) or 'none'}")
    return scenario


def current_version(session: Session, scenario: PriorityScenario) -> PriorityScenarioVersion:
    """The version in force."""
    version = session.get(PriorityScenarioVersion, (scenario.id, scenario.version))
    assert version is not None
    return version


def versions(session: Session, scenario_id: int) -> list[PriorityScenarioVersion]:
    """Every version of a scenario, oldest first."""
    live_scenario(session, scenario_id)
    query = select(PriorityScenarioVersion).where(PriorityScenarioVersion.scenario_id == scenario_id)
    return list(session.scalars(query.order_by(PriorityScenarioVersion.version)))


def public(session: Session, scenario: PriorityScenario) -> dict[str, Any]:
    """A scenario with its current weights and parameters."""
    version = current_version(session, scenario)
    return {
        "id": scenario.id,
        "name": scenario.name,
        "description": scenario.description,
        "version": scenario.version,
        "weights": version.weights,
        "parameters": version.parameters,
    }


def live_scenarios(session: Session) -> list[PriorityScenario]:
    """Every live scenario, by name."""
    query = select(PriorityScenario).where(PriorityScenario.deleted_at.is_(None)).order_by(PriorityScenario.name)
    return list(session.scalars(query))


def list_scenarios(session: Session) -> list[dict[str, Any]]:
    """Every live scenario with its current version, by name."""
    return [public(session, s) for s in live_scenarios(session)]


def _create(session: Session, body: ScenarioCreate, *, user: str) -> PriorityScenario:
    weights, parameters = _checked_weights(body.weights), _checked_parameters(body.parameters)
    scenario = PriorityScenario(
        name=body.name, description=body.description, version=1, created_by=user, updated_by=user
    )
    session.add(scenario)
    session.flush()
    session.add(
        PriorityScenarioVersion(
            scenario_id=scenario.id, version=1, weights=weights, parameters=parameters, note=body.note, created_by=user
        )
    )
    return scenario


def _checked_weights(weights: dict[str, float]) -> dict[str, float]:
    try:
        check_weights(weights)
    except ValueError as error:
        raise Invalid(str(error), field="weights") from error
    return {k: float(v) for k, v in weights.items()}


def _checked_parameters(parameters: dict[str, Any]) -> dict[str, Any]:
    """The full parameter set: defaults overridden by what was given, so each version is self-contained."""
    try:
        merged = asdict(Parameters.from_dict({**asdict(Parameters()), **parameters}))
    except (TypeError, ValueError) as error:
        raise Invalid(str(error), field="parameters") from error
    return merged
