"""Import of 100,000 hazardous areas from a GeoPackage, beside ogr2ogr loading the same file.

Writes (in a temporary folder) 100,000 synthetic areas from gis/demo/areas.py to a GeoPackage with
pyogrio, as an operator's file would hold them: an id, name, classification, dates and code lists as
text, no admin codes and no m². Then, in one throwaway database and one run:
  - peer: `ogr2ogr -f PostgreSQL` copying the layer into a scratch table (COPY, GiST index built),
    with no validation, no domain checks and nothing derived;
  - ours: `app.services.importing.run_import` over the same file: read, map, clean and repair every
    geometry, check every field, derive the admin units from the geometry (Ukraine's boundaries are
    loaded first, untimed), write through staging, compute the quality flags, record the job.
Each repetition starts from an empty table (emptied untimed). Target: ours ≤ 1.5 × ogr2ogr.
Run: .venv/bin/python -m bench.import_areas [--areas N] [--repeat R] [--keep-file PATH]
Needs `ogr2ogr` (Debian: `apt-get install -y gdal-bin`).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

from app.domain.access import Actor
from bench.common import median_seconds, scratch_database

PEER_TABLE = "bench_ogr2ogr_areas"
SOURCE = "bench-gpkg"
# The generator's own bookkeeping, which an operator's file does not carry: ours derives the admin
# units and measures the m² itself.
NOT_IN_FILE = ["source", "status", "original_area_m2", "oblast_code", "raion_code", "hromada_code"]
LISTS = ["contamination_types", "evidence", "blockages"]
DATES = ["reported_on", "emplacement_date"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--areas", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each side")
    parser.add_argument("--keep-file", type=Path, help="also copy the generated GeoPackage here")
    args = parser.parse_args()
    if shutil.which("ogr2ogr") is None:
        sys.exit("ogr2ogr is not installed: apt-get install -y gdal-bin")

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "hazardous_areas.gpkg"
        t0 = time.perf_counter()
        write_geopackage(path, args.areas)
        megabytes, seconds = path.stat().st_size / 1e6, time.perf_counter() - t0
        print(f"wrote {args.areas:,} areas to a {megabytes:.0f} MB GeoPackage in {seconds:.1f} s")
        if args.keep_file:
            shutil.copyfile(path, args.keep_file)
        with scratch_database() as url:
            run(url, path, args.areas, args.repeat)


def write_geopackage(path: Path, areas: int) -> None:
    """The synthetic areas as one GeoPackage layer: code lists joined by ";", dates as ISO text."""
    import pyogrio

    from gis.demo.areas import generate_hazardous_areas

    frame = generate_hazardous_areas(areas, seed=1).drop(columns=NOT_IN_FILE)
    for name in LISTS:  # GeoPackage has no list type: operators' files join codes in one text field
        frame[name] = frame[name].map(";".join)
    for name in DATES:  # as ISO text, as most operators' files and spreadsheets carry them
        frame[name] = frame[name].map(lambda day: day.isoformat() if day is not None else None)
    frame["returnees_expected"] = frame["returnees_expected"].astype("Int64")
    # GeoPackage 1.2: what every GDAL reads without a warning (pyogrio's newer GDAL would write 1.4).
    pyogrio.write_dataframe(
        frame, path, layer="hazardous_areas", driver="GPKG", promote_to_multi=True, dataset_options={"VERSION": "1.2"}
    )


def run(url: str, path: Path, areas: int, repeat: int) -> None:
    """Time both sides on the same file in the same database, and print medians and the ratio."""
    from app.db.session import new_session

    load_boundaries(url)
    with new_session() as session:
        session.execute(text("ANALYZE"))
        session.commit()

    def peer() -> None:
        subprocess.run(ogr2ogr_command(url, path), check=True, env={**os.environ, "PGCLIENTENCODING": "UTF8"})

    def ours() -> None:
        from app.services.importing import run_import  # Step 8's import service

        with new_session() as session:
            run_import(
                session,
                path,
                kind="hazardous_areas",
                source=SOURCE,
                mapping=None,  # the automatic guess: the file's names are the fields'
                dry_run=False,
                skip_refused=False,
                actor=Actor.system("bench"),
            )
            session.commit()

    peer_s = median_seconds(peer, repeat)
    with new_session() as session:
        copied = session.execute(text(f"SELECT count(*) FROM {PEER_TABLE}")).scalar_one()
    print(f"peer (ogr2ogr -f PostgreSQL, COPY + GiST): {peer_s:.2f} s for {copied:,} rows (median of {repeat})")

    times = []
    for _ in range(repeat):
        empty_the_register()
        started = time.perf_counter()
        ours()
        times.append(time.perf_counter() - started)
    ours_s = statistics.median(times)
    with new_session() as session:
        imported, flags, derived = session.execute(
            text(
                "SELECT count(*), (SELECT count(*) FROM quality_flag), count(hromada_code) FROM hazardous_area "
                "WHERE source = :source"
            ),
            {"source": SOURCE},
        ).one()
    what = f"{imported:,} areas, {derived:,} with a derived hromada, {flags:,} quality flags"
    print(f"ours (validated import, admin units derived, quality flags): {ours_s:.2f} s for {what}, median of {repeat}")
    if imported != areas:
        print(f"warning: {areas - imported:,} areas were not imported")
    print(f"ours / ogr2ogr: {ours_s / peer_s:.2f} (target ≤ 1.5)")


def ogr2ogr_command(url: str, path: Path) -> list[str]:
    """ogr2ogr writing the GeoPackage's layer to a table of the bench database, replaced on each run."""
    parts = make_url(url)
    connection = " ".join(
        f"{key}={value}"
        for key, value in (
            ("host", parts.host),
            ("port", parts.port),
            ("dbname", parts.database),
            ("user", parts.username),
            ("password", parts.password),
        )
        if value is not None
    )
    return [
        "ogr2ogr",
        "-f",
        "PostgreSQL",
        f"PG:{connection}",
        str(path),
        "hazardous_areas",
        "-nln",
        PEER_TABLE,
        "-nlt",
        "MULTIPOLYGON",
        "-lco",
        "GEOMETRY_NAME=geom",
        "-overwrite",
        "--config",
        "PG_USE_COPY",
        "YES",
    ]


def load_boundaries(url: str) -> None:
    """Ukraine's oblasts, raions and hromadas in `admin_unit` (untimed), through the command programmes use."""
    command = [sys.executable, "-m", "app.cli", "load-boundaries", "--ukraine"]
    loaded = subprocess.run(command, env={**os.environ, "DATABASE_URL": url}, capture_output=True, text=True)
    if loaded.returncode != 0:
        print(
            f"warning: `mais load-boundaries --ukraine` failed, so no admin unit is derived:\n{loaded.stderr[-2000:]}"
        )


def empty_the_register() -> None:
    """No areas, jobs, flags or audit entries left from the previous run: each run imports into an empty table."""
    from app.db.session import new_session

    with new_session() as session:
        session.execute(text("TRUNCATE hazardous_area, import_job, audit_entry RESTART IDENTITY CASCADE"))
        session.commit()


if __name__ == "__main__":
    main()
