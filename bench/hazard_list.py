"""Median time to serve a 1,000-feature page of hazardous areas, PostGIS pass-through vs shapely."""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable

from geoalchemy2.shape import to_shape
from shapely.geometry import mapping
from sqlalchemy import select

from bench.common import scratch_database, viewer_credentials


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--areas", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()

    with scratch_database():
        run(args.areas, args.repeat)


def run(areas: int, repeat: int) -> None:
    from fastapi.testclient import TestClient

    from app.db.models import HazardousArea
    from app.db.session import new_session
    from app.demo.seed import load_demo
    from app.main import app

    started = time.perf_counter()
    with new_session() as session:
        load_demo(session, areas=areas, seed=1)
    print(f"loaded {areas:,} synthetic areas in {time.perf_counter() - started:.1f} s")

    token, _ = viewer_credentials()
    client = TestClient(app, headers={"Authorization": f"Bearer {token}"})

    def ours() -> int:
        return len(client.get("/api/v1/hazardous-areas", params={"limit": 1000}).content)

    def peer() -> int:
        with new_session() as session:
            rows = session.scalars(
                select(HazardousArea).where(HazardousArea.deleted_at.is_(None)).order_by(HazardousArea.id).limit(1000)
            ).all()
            features = [
                {
                    "type": "Feature",
                    "id": r.id,
                    "geometry": mapping(to_shape(r.geom)),
                    "properties": {"name": r.name, "classification": r.classification, "status": r.status},
                }
                for r in rows
            ]
        return len(json.dumps({"type": "FeatureCollection", "features": features}, default=str))

    ours_ms, ours_bytes = _median_ms(ours, repeat)
    peer_ms, peer_bytes = _median_ms(peer, repeat)
    print(f"ours (ST_AsGeoJSON text → orjson.Fragment, all properties, over HTTP): {ours_ms:7.1f} ms  {ours_bytes:,} B")
    print(f"peer (ORM → shapely → json.dumps, 3 properties, no HTTP):              {peer_ms:7.1f} ms  {peer_bytes:,} B")
    print(f"ratio ours/peer: {ours_ms / peer_ms:.2f}")


def _median_ms(fn: Callable[[], int], repeat: int) -> tuple[float, int]:
    fn()  # warm caches and the connection pool
    times, size = [], 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        size = fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), size


if __name__ == "__main__":
    main()
