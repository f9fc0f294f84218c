"""The SYNTHETIC context layers of the demo, loaded through the production loaders."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db.models import ContextFeature
from app.domain.errors import Conflict
from app.services.priorities.context import load_features, load_settlements
from gis.demo.areas import DEMO_SOURCE
from gis.demo.context import generate_context
from gis.reference import load_hromadas


def load_demo_context(session: Session, *, seed: int, user: str, scale: float = 1.0) -> dict[str, int]:
    """Load the hromada centres and every SYNTHETIC context layer (gis.demo.context); counts by table/layer."""
    loaded = session.scalar(select(func.count()).where(ContextFeature.source == DEMO_SOURCE))
    if loaded:
        raise Conflict(f"synthetic context layers are already loaded ({loaded:,} features with source {DEMO_SOURCE!r})")
    counts = {"settlement": load_settlements(session, user=user)}
    for layer, frame in generate_context(load_hromadas(), seed=seed, scale=scale).items():
        counts[layer] = load_features(session, frame, layer=layer, source=DEMO_SOURCE, user=user)
    return counts
