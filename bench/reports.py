"""A one-year national donor report (JSON and PDF) over 100,000 areas and 300,000 releases, beside a pandas peer.

Builds (in a throwaway database) 100,000 synthetic hazardous areas (the demo generator, loaded by
COPY), the 1,469 real hromada centres, and a year of work written directly as rows, set-based in
SQL (not through the per-release accounting): 20,000 tasks funded by 24 agreements of 6 donors,
60,000 activities, 300,000 releases (three strips of each area's box), 100,000 finds, quarterly
progress reports and expenditure, beneficiaries and 2,000 accidents. Then measures:
  - ours, JSON: build_report for 2025 (every table, one snapshot) and its JSON;
  - ours, PDF: the same with the map layers, rendered by WeasyPrint;
  - peer: the release, find and remaining-land figures alone, computed in pandas after reading the
    rows with read_sql (the naive way: fetch the rows, aggregate in Python).
Run: .venv/bin/python -m bench.reports [--areas N] [--repeat R]
"""

from __future__ import annotations

import argparse
import time
from datetime import date

from sqlalchemy import text

from bench.common import median_seconds, scratch_database

WORK_SQL = """
CREATE TEMP TABLE ops AS SELECT row_number() OVER (ORDER BY id) - 1 AS i, id FROM organisation;
INSERT INTO donor (name, created_by, updated_by) SELECT 'Donor ' || d, 'bench', 'bench' FROM generate_series(1, 6) d;
CREATE TEMP TABLE dns AS SELECT row_number() OVER (ORDER BY id) - 1 AS i, id FROM donor;
INSERT INTO funding_agreement (reference, donor_id, organisation_id, amount, currency, period_start, period_end,
                               created_by, updated_by)
SELECT 'AG-' || g, (SELECT id FROM dns WHERE i = g % 6), (SELECT id FROM ops WHERE i = g % (SELECT count(*) FROM ops)),
       2e6, CASE WHEN g % 2 = 0 THEN 'EUR' ELSE 'USD' END, '2025-01-01', '2025-12-31', 'bench', 'bench'
FROM generate_series(0, 2 * (SELECT count(*) FROM ops) - 1) g;
CREATE TEMP TABLE ags AS SELECT row_number() OVER (ORDER BY id) - 1 AS i, id, organisation_id FROM funding_agreement;
CREATE TEMP TABLE ar AS SELECT row_number() OVER (ORDER BY id) - 1 AS i, id FROM hazardous_area;
INSERT INTO task (reference, organisation_id, status, funding_agreement_id, area_m2, geom, created_by, updated_by)
SELECT 'B-' || (ar.i / 5), ags.organisation_id, 'in_progress', ags.id, h.original_area_m2, h.geom, 'bench', 'bench'
FROM ar JOIN hazardous_area h ON h.id = ar.id
JOIN ags ON ags.i = (ar.i / 5) % (SELECT count(*) FROM ags)
WHERE ar.i % 5 = 0;
CREATE TEMP TABLE tk AS SELECT substr(reference, 3)::int AS g, id, organisation_id FROM task;
INSERT INTO task_hazardous_area SELECT tk.id, ar.id FROM ar JOIN tk ON tk.g = ar.i / 5;
INSERT INTO task_event (task_id, from_status, to_status, occurred_on, created_by)
SELECT id, 'assigned', 'in_progress', DATE '2025-01-01' + (g * 7) % 300, 'bench' FROM tk
UNION ALL
SELECT id, 'in_progress', 'completed', DATE '2025-01-01' + (g * 7) % 300 + 60, 'bench' FROM tk WHERE g % 2 = 0;
INSERT INTO activity (type, organisation_id, task_id, status, methods, team_days, notes, created_by, updated_by)
SELECT (ARRAY['nts', 'ts', 'clearance'])[k + 1], tk.organisation_id, tk.id, 'completed',
       ARRAY[(ARRAY['nts', 'mechanical', 'manual'])[k + 1]], 10, k::text, 'bench', 'bench'
FROM tk, generate_series(0, 2) k;
CREATE TEMP TABLE act AS SELECT task_id, notes::int AS k, id FROM activity WHERE task_id IS NOT NULL;
INSERT INTO release (activity_id, hazardous_area_id, kind, method, released_on, submitted_area_m2, outside_area_m2,
                     overlap_area_m2, area_m2, submitted_geom, geom, created_by)
SELECT act.id, h.id, (ARRAY['cancelled', 'reduced', 'cleared'])[n + 1],
       (ARRAY['nts', CASE WHEN h.id % 2 = 0 THEN 'mechanical' ELSE 'mdd' END, 'manual'])[n + 1],
       DATE '2025-01-01' + ((h.id * 7 + n * 131) % 365)::int, h.original_area_m2 * 0.25, 0, 0,
       h.original_area_m2 * 0.25, s.strip, s.strip, 'bench'
FROM ar JOIN hazardous_area h ON h.id = ar.id JOIN tk ON tk.g = ar.i / 5
CROSS JOIN generate_series(0, 2) AS gs(n)
JOIN act ON act.task_id = tk.id AND act.k = n
CROSS JOIN LATERAL (SELECT ST_Multi(ST_MakeEnvelope(
    ST_XMin(h.geom) + n * (ST_XMax(h.geom) - ST_XMin(h.geom)) / 4, ST_YMin(h.geom),
    ST_XMin(h.geom) + (n + 1) * (ST_XMax(h.geom) - ST_XMin(h.geom)) / 4, ST_YMax(h.geom), 4326)) AS strip) s;
UPDATE hazardous_area SET remaining_area_m2 = original_area_m2 * 0.25, status = 'worked_on';
INSERT INTO device_found (activity_id, hazardous_area_id, found_on, category, quantity, fate, created_by, updated_by)
SELECT act.id, h.id, DATE '2025-01-01' + (h.id % 365)::int,
       (ARRAY['ap_mine', 'at_mine', 'uxo', 'axo', 'submunition', 'ied', 'booby_trap'])[1 + h.id % 7], 1 + h.id % 3,
       (ARRAY['destroyed_in_situ', 'removed', 'rendered_safe'])[1 + h.id % 3], 'bench', 'bench'
FROM ar JOIN hazardous_area h ON h.id = ar.id JOIN tk ON tk.g = ar.i / 5 JOIN act ON act.task_id = tk.id AND act.k = 2;
INSERT INTO task_progress_report (task_id, period_start, period_end, cancelled_m2, reduced_m2, cleared_m2,
                                  items_found, team_days, created_by)
SELECT tk.id, q, (q + INTERVAL '3 months - 1 day')::date, 1000 * (1 + tk.g % 5), 500, 250, 2, 3 + tk.g % 4, 'bench'
FROM tk, (SELECT generate_series(DATE '2025-01-01', DATE '2025-10-01', INTERVAL '3 months')::date AS q) quarters;
INSERT INTO expenditure (funding_agreement_id, period_start, period_end, amount, created_by)
SELECT ags.id, q, (q + INTERVAL '3 months - 1 day')::date, 250000, 'bench'
FROM ags, (SELECT generate_series(DATE '2025-01-01', DATE '2025-10-01', INTERVAL '3 months')::date AS q) quarters;
INSERT INTO beneficiary_count (task_id, recorded_on, reach, women, men, girls, boys, created_by)
SELECT tk.id, DATE '2025-06-30', r, 10 + tk.g % 7, 9 + tk.g % 5, 4, 5, 'bench'
FROM tk, unnest(ARRAY['direct', 'indirect']) r;
INSERT INTO accident (occurred_on, type, hazardous_area_id, geom, created_by, updated_by)
SELECT DATE '2025-01-01' + (h.id % 365)::int, 'mine', h.id, ST_PointOnSurface(h.geom), 'bench', 'bench'
FROM hazardous_area h WHERE h.id % 50 = 0;
INSERT INTO victim (accident_id, outcome, sex, age_band, role)
SELECT id, CASE WHEN id % 3 = 0 THEN 'killed' ELSE 'injured' END, 'male', '18-59', 'civilian' FROM accident;
"""

PEER_RELEASES = """
    SELECT r.kind, r.method, r.released_on, r.area_m2, t.funding_agreement_id
    FROM release r JOIN hazardous_area h ON h.id = r.hazardous_area_id JOIN activity a ON a.id = r.activity_id
    LEFT JOIN task t ON t.id = a.task_id
    WHERE h.deleted_at IS NULL AND r.released_on BETWEEN :date_from AND :date_to
"""
PEER_FINDS = "SELECT category, quantity, fate FROM device_found WHERE found_on BETWEEN :date_from AND :date_to"
PEER_AREAS = (
    "SELECT oblast_code, classification, remaining_area_m2 FROM hazardous_area WHERE status IN ('open', 'worked_on')"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--areas", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    with scratch_database():
        run(args.areas, args.repeat)


def run(areas: int, repeat: int) -> None:
    import orjson
    import pandas as pd

    from app.db.session import get_engine, new_session
    from app.demo.seed import DEMO_USER, load_demo
    from app.reporting.figures import build_report
    from app.reporting.filter import ReportFilter
    from app.reporting.render import pdf
    from app.services.priorities.context import load_settlements

    with new_session() as session:
        t0 = time.perf_counter()
        load_demo(session, areas=areas, seed=1, with_work=False, with_context=False)
        load_settlements(session, user=DEMO_USER)
        for statement in WORK_SQL.split(";\n"):
            if statement.strip():
                session.execute(text(statement))
        session.commit()
        session.execute(text("ANALYZE"))
        session.commit()  # build_report starts a fresh snapshot: an uncommitted ANALYZE would be rolled back
        releases = session.execute(text("SELECT count(*) FROM release")).scalar_one()
        print(
            f"built {areas:,} areas and {releases:,} releases with a year of work in {time.perf_counter() - t0:.1f} s"
        )
        flt = ReportFilter(date_from=date(2025, 1, 1), date_to=date(2025, 12, 31))
        sizes: dict[str, int] = {}

        def json_report() -> None:
            session.rollback()  # each report reads its own snapshot
            sizes["json"] = len(orjson.dumps(build_report(session, flt).as_json()))

        def pdf_report() -> None:
            session.rollback()
            sizes["pdf"] = len(pdf.document(build_report(session, flt, with_map=True)))

        def peer() -> None:
            params = {"date_from": flt.date_from, "date_to": flt.date_to}
            with get_engine().connect() as conn:
                rel = pd.read_sql(text(PEER_RELEASES), conn, params=params)
                finds = pd.read_sql(text(PEER_FINDS), conn, params=params)
                areas_left = pd.read_sql(text(PEER_AREAS), conn)
            rel["month"] = pd.to_datetime(rel["released_on"]).dt.to_period("M")
            rel.groupby(["kind", "method"])["area_m2"].agg(["count", "sum"])
            rel.pivot_table(index="month", columns="kind", values="area_m2", aggfunc="sum", fill_value=0)
            rel.groupby("funding_agreement_id")["area_m2"].sum()
            finds.assign(destroyed=finds["quantity"].where(finds["fate"] == "destroyed_in_situ", 0)).groupby(
                "category"
            )[["quantity", "destroyed"]].sum()
            areas_left.pivot_table(index="oblast_code", columns="classification", values="remaining_area_m2",
                                   aggfunc=["count", "sum"], fill_value=0)  # fmt: skip

        json_s = median_seconds(json_report, repeat)
        pdf_s = median_seconds(pdf_report, repeat)
        peer_s = median_seconds(peer, repeat)
    print(f"ours, JSON report (every table, {releases:,} releases):    median {json_s:6.2f} s  target ≤ 5 s "
          f"({sizes['json']:,} bytes)")  # fmt: skip
    print(f"ours, PDF report (figures, map, WeasyPrint):          median {pdf_s:6.2f} s  target ≤ 15 s "
          f"({sizes['pdf']:,} bytes)")  # fmt: skip
    print(f"peer, pandas over fetched rows (releases, finds, remaining only): median {peer_s:6.2f} s")
    print(f"ratio ours JSON / peer: {json_s / peer_s:.2f}")


if __name__ == "__main__":
    main()
