"""Full and single-area priority recompute at national scale, beside a PostGIS SQL peer.

Builds (in a throwaway database) 100,000 synthetic hazardous areas, the 1,469 real hromada
centres and 100,000+ synthetic infrastructure features, then measures:
  - ours, full: gis.priorities over every area, all 11 criteria, scores written by COPY;
  - ours, incremental: one area queued as stale, rescored through the same code path;
  - peer: the population and services criteria alone as set-based PostGIS SQL
    (ST_DWithin on geography behind an indexed box test), over every area.
Run: .venv/bin/python -m bench.priorities [--areas N] [--context-scale S] [--repeat R]
"""

from __future__ import annotations

import argparse
import time

from sqlalchemy import text

from bench.common import median_seconds, scratch_database

PEER_SQL = """
    SELECT count(*), sum(p), sum(s) FROM (
        SELECT h.id,
               (SELECT coalesce(sum(st.population * (1 - ST_Distance(st.geom::geography, h.remaining_geom::geography)
                                                     / 10000)), 0)
                FROM settlement st
                WHERE st.geom && ST_Expand(h.remaining_geom, 10000 / 60000.0)
                  AND ST_DWithin(st.geom::geography, h.remaining_geom::geography, 10000)) AS p,
               (SELECT coalesce(sum(1 - ST_Distance(f.geom::geography, h.remaining_geom::geography) / 1000), 0)
                FROM context_feature f
                WHERE f.layer IN ('school', 'health', 'water')
                  AND f.geom && ST_Expand(h.remaining_geom, 1000 / 60000.0)
                  AND ST_DWithin(f.geom::geography, h.remaining_geom::geography, 1000)) AS s
        FROM hazardous_area h WHERE h.status IN ('open', 'worked_on') AND h.deleted_at IS NULL
    ) per_area
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--areas", type=int, default=100_000)
    parser.add_argument("--context-scale", type=float, default=25.0, help="synthetic context size (25 ≈ 100k+)")
    parser.add_argument("--repeat", type=int, default=3, help="full recomputes (incremental: 10 x this)")
    args = parser.parse_args()

    with scratch_database():
        run(args.areas, args.context_scale, args.repeat)


def run(areas: int, context_scale: float, repeat: int) -> None:
    from app.db.session import new_session
    from app.demo.context import load_demo_context
    from app.demo.seed import DEMO_USER, load_demo
    from app.services.priorities import ranking as priorities
    from app.services.priorities.scenarios import ensure_default_scenarios, scenario_named

    with new_session() as session:
        t0 = time.perf_counter()
        load_demo(session, areas=areas, seed=1, with_work=False, with_context=False)
        counts = load_demo_context(session, seed=1, user=DEMO_USER, scale=context_scale)
        ensure_default_scenarios(session, user=DEMO_USER)
        session.execute(text("DELETE FROM priority_stale"))
        session.commit()
        session.execute(text("ANALYZE"))
        features = sum(v for k, v in counts.items() if k != "settlement")
        print(f"built {areas:,} areas, {counts['settlement']:,} settlements and {features:,} context "
              f"features in {time.perf_counter() - t0:.1f} s")  # fmt: skip
        scenario = scenario_named(session, "humanitarian")

        def full() -> None:
            priorities.run(session, scenario, user="bench", reason="bench")
            session.commit()

        area_id = session.execute(text("SELECT min(id) FROM hazardous_area")).scalar_one()

        def incremental() -> None:
            session.execute(text("INSERT INTO priority_stale VALUES (:id) ON CONFLICT DO NOTHING"), {"id": area_id})
            runs = priorities.refresh(session, user="bench")
            session.commit()  # as the API does after each write
            assert runs is not None and len(runs) == 3 and all(r.areas_scored == 1 for r in runs)

        def peer() -> None:
            session.execute(text(PEER_SQL)).one()

        full_s = median_seconds(full, repeat)
        priorities.refresh(session, user="bench")  # the other scenarios' first full runs, untimed
        session.commit()
        incremental_s = median_seconds(incremental, 10 * repeat) / 3  # refresh rescored it for the 3 scenarios
        peer_s = median_seconds(peer, 1)
    print(f"ours, full recompute (11 criteria, {areas:,} areas):       median {full_s:7.2f} s   target ≤ 10 s")
    print(
        f"ours, single-area incremental (per scenario):        median {incremental_s * 1000:7.1f} ms  target ≤ 100 ms"
    )
    print(f"peer, PostGIS SQL for 2 of the 11 criteria, all areas: {peer_s:7.2f} s")
    print(f"ratio ours full / peer: {full_s / peer_s:.2f}")


if __name__ == "__main__":
    main()
