"""Files to import, built by the tests themselves (no binaries committed), and helpers to import them."""

from __future__ import annotations

import json
import time
import zipfile
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
from fastapi.testclient import TestClient
from shapely.geometry import box

from app.db.session import new_session
from app.domain.access import Actor
from app.services.importing import run_import

SYSTEM = Actor.system("tests")
CELL = 0.002  # degrees: a 0.002° square near Kharkiv is about 31,900 m²
FINISHED = ("done", "failed", "cancelled")


def areas(n: int, *, first: int = 1, lon: float = 36.0, lat: float = 49.5) -> gpd.GeoDataFrame:
    """`n` SHA/CHA squares in a grid, with the column names an operator's export uses."""
    rows, geometry = [], []
    for k in range(n):
        i = first + k - 1
        x, y = lon + (i % 100) * CELL * 1.5, lat + (i // 100) * CELL * 1.5
        geometry.append(box(x, y, x + CELL, y + CELL))
        rows.append(
            {
                "ID": f"HA-{first + k:05d}",
                "Hazard Type": "Suspected Minefield" if k % 2 == 0 else "Confirmed Minefield",
                "Date of report": "2023-05-12",
                "Contamination": "ap_mine; uxo",
            }
        )
    return gpd.GeoDataFrame(rows, geometry=geometry, crs="EPSG:4326")


def write(frame: gpd.GeoDataFrame, path: Path, **options: Any) -> Path:
    """The frame written by pyogrio (its driver from the file's extension unless given)."""
    frame.to_file(path, engine="pyogrio", **options)
    return path


def zipped(path: Path, members: list[Path]) -> Path:
    """A zip of these files, each at the top of the archive."""
    with zipfile.ZipFile(path, "w") as archive:
        for member in members:
            archive.write(member, member.name)
    return path


def csv_with_wkt(frame: gpd.GeoDataFrame, path: Path, *, sep: str = ",") -> Path:
    """The frame as CSV with its geometry as WKT in a column named WKT."""
    table = pd.DataFrame(frame.drop(columns="geometry"))
    table["WKT"] = frame.geometry.to_wkt()
    table.to_csv(path, index=False, sep=sep)
    return path


def odk_shape(polygon: Any) -> str:
    """A polygon as a KoboToolbox/ODK geoshape answer: "lat lon alt acc;…", the first point repeated."""
    return ";".join(f"{y} {x} 0 5" for x, y in polygon.exterior.coords)


def imported(path: Path, **options: Any) -> Any:
    """Import a file now through the service, as `mais import` does, and commit; the job."""
    options.setdefault("kind", "hazardous_areas")
    options.setdefault("source", "tests")
    with new_session() as session:
        job = run_import(session, path, actor=SYSTEM, **options)
        session.commit()
        return job


def report_of(job_id: int) -> list[dict[str, Any]]:
    """Every line of a job's report, as the API returns them."""
    from app.services.importing.report import report_page

    with new_session() as session:
        return [dict(row) for row in report_page(session, job_id, outcome=None, after_id=None, limit=1_000_000)]


def refusals(job_id: int) -> list[tuple[int, str | None, str]]:
    """(row, field, problem) of every refused line of a job's report."""
    return [(r["row"], r["field"], r["problem"]) for r in report_of(job_id) if r["outcome"] == "refused"]


def upload(client: TestClient, path: Path, **form: Any) -> Any:
    """POST a file to /api/v1/imports with these form fields (a mapping dict is sent as JSON)."""
    data = {
        k: json.dumps(v) if isinstance(v, dict) else str(v).lower() if isinstance(v, bool) else v
        for k, v in form.items()
    }
    data.setdefault("kind", "hazardous_areas")
    data.setdefault("source", "tests")
    with path.open("rb") as handle:
        return client.post("/api/v1/imports", data=data, files={"file": (path.name, handle)})


def finished(client: TestClient, job_id: int, *, timeout: float = 60.0) -> dict[str, Any]:
    """The job once its background run is over (polled through the API)."""
    deadline = time.monotonic() + timeout
    while True:
        job: dict[str, Any] = client.get(f"/api/v1/imports/{job_id}").json()
        if job["status"] in FINISHED or time.monotonic() > deadline:
            return job
        time.sleep(0.05)


def clearance_on(polygon: Any, *, organisation: str = "Steppe Demining") -> int:
    """An ongoing clearance activity of an operator on a new SHA covering `polygon`; the activity's id."""
    from datetime import date

    from shapely.geometry import mapping

    from app.db.models import Organisation
    from app.schemas.activity import ActivityCreate
    from app.schemas.hazardous_area import HazardousAreaCreate
    from app.services.land_release.activities import create_activity
    from app.services.registry.hazardous_areas import create_area

    with new_session() as session:
        org = session.query(Organisation).filter(Organisation.name == organisation).one_or_none()
        if org is None:
            org = Organisation(name=organisation, kind="ngo", created_by="tests", updated_by="tests")
            session.add(org)
            session.flush()
        geometry = json.loads(json.dumps(mapping(polygon)))
        body = HazardousAreaCreate(type="Feature", geometry=geometry, properties={"classification": "SHA"})
        area_id, _ = create_area(session, body, actor=SYSTEM, max_vertices=10_000)
        work = ActivityCreate(
            type="clearance",
            organisation_id=org.id,
            hazardous_area_ids=[area_id],
            status="ongoing",
            actual_start=date(2025, 4, 1),
            methods=["manual"],
            clearance_depth_cm=20,
        )
        activity_id = create_activity(session, work, actor=SYSTEM)
        session.commit()
        return activity_id
