"""Importing a file again: (source, external id) finds the records, changes go through the PATCH rules, never twice.

Also what every write of an area gets on import: admin codes derived from the loaded boundaries of
any country (given codes checked against them), quality flags, and the lifecycle's rules.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from shapely.geometry import MultiPolygon, box
from sqlalchemy import text

from app.db.bulk import ewkb
from app.db.models import AdminUnit
from app.db.session import new_session
from app.schemas.release import ReleaseCreate
from app.services.land_release.releases import record_release
from app.services.registry.hazardous_areas import delete_area
from tests.import_files import SYSTEM, areas, clearance_on, imported, refusals, report_of, write

pytestmark = pytest.mark.usefixtures("db")


def rows(sql: str, **params: object) -> list[tuple[object, ...]]:
    with new_session() as session:
        return [tuple(r) for r in session.execute(text(sql), params)]


def test_the_same_file_again_creates_nothing_and_changes_nothing(tmp_path: Path) -> None:
    path = write(areas(3), tmp_path / "export.geojson")
    first = imported(path)
    again = imported(path)
    assert first.counts["created"] == 3
    assert again.counts == {"created": 0, "updated": 0, "repaired": 0, "refused": 0, "skipped": 3}
    assert {r["problem"] for r in report_of(again.id) if r["row"]} == {"unchanged: the area already holds these values"}
    assert rows("SELECT count(*) FROM hazardous_area") == [(3,)]
    # Nothing changed, so nothing to audit: only the first import has an entry.
    assert rows("SELECT import_job_id FROM audit_entry") == [(first.id,)]


def test_a_corrected_file_updates_only_what_it_changed_and_the_audit_says_before_and_after(tmp_path: Path) -> None:
    imported(write(areas(3), tmp_path / "v1.geojson"))
    corrected = areas(4)
    corrected.loc[1, "Date of report"] = "2024-02-01"
    corrected.loc[2, "geometry"] = box(36.5, 49.5, 36.51, 49.51)  # nothing released yet: may be corrected
    job = imported(write(corrected, tmp_path / "v2.geojson"))
    assert job.counts == {"created": 1, "updated": 2, "repaired": 0, "refused": 0, "skipped": 1}
    stored = rows(
        "SELECT external_id, reported_on::text, information_date::text, round(original_area_m2), "
        "round(remaining_area_m2) FROM hazardous_area ORDER BY id"
    )
    assert stored[1] == ("HA-00002", "2024-02-01", "2024-02-01", 32_225, 32_225)  # 0.002° at 49.5° N
    assert stored[2][0] == "HA-00003" and stored[2][3] == stored[2][4] == 805_554  # now 0.01°
    changes = rows(
        "SELECT c.action, c.before, c.after FROM audit_change c JOIN audit_entry e ON e.id = c.entry_id "
        "WHERE e.import_job_id = :j AND c.action = :update ORDER BY c.record_id",
        j=job.id,
        update="update",
    )
    assert changes[0][1] == {"reported_on": "2023-05-12", "information_date": "2023-05-12"}
    assert changes[0][2] == {"reported_on": "2024-02-01", "information_date": "2024-02-01"}
    assert set(changes[1][2]) == {"geom", "remaining_geom", "original_area_m2", "remaining_area_m2"}


def test_a_geometry_cannot_be_corrected_once_land_was_released_from_the_area(tmp_path: Path) -> None:
    imported(write(areas(1), tmp_path / "v1.geojson"))
    [(area_id,)] = rows("SELECT id FROM hazardous_area")
    activity = clearance_on(box(40, 40, 40.001, 40.001), organisation="Steppe Demining")
    with new_session() as session:
        session.execute(
            text("INSERT INTO activity_hazardous_area (activity_id, hazardous_area_id) VALUES (:a, :h)"),
            {"a": activity, "h": area_id},
        )
        release = {
            "type": "Feature",
            "geometry": {
                "type": "Polygon",
                "coordinates": [[[36, 49.5], [36.001, 49.5], [36.001, 49.501], [36, 49.5]]],
            },
            "properties": {
                "activity_id": activity,
                "hazardous_area_id": area_id,
                "kind": "cleared",
                "method": "manual",
                "released_on": "2025-04-10",
            },
        }
        record_release(session, ReleaseCreate.model_validate(release), actor=SYSTEM, max_vertices=10_000)
        session.commit()
    moved = areas(1)
    moved.loc[0, "geometry"] = box(36.0, 49.5, 36.003, 49.503)
    job = imported(write(moved, tmp_path / "v2.geojson"))
    assert refusals(job.id) == [
        (
            1,
            "geometry",
            f"hazardous area {area_id} already has land released: its geometry can no longer be corrected; "
            "record a new area for newly found ground",
        )
    ]
    assert job.status == "failed"


def test_status_moves_on_reimport_follow_the_lifecycle_and_are_recorded_as_events(tmp_path: Path) -> None:
    first = areas(2)
    first["Status"] = ["open", "open"]
    imported(write(first, tmp_path / "v1.geojson"))
    moved = areas(2)
    moved["Status"] = ["worked on", "closed"]
    job = imported(write(moved, tmp_path / "v2.geojson"), skip_refused=True)
    assert job.counts["updated"] == 1
    [(row, field, problem)] = refusals(job.id)
    assert (row, field) == (2, "status")
    assert problem.startswith("area is open: it cannot be closed with 32225 m² remaining; allowed now: worked_on")
    assert rows("SELECT external_id, status FROM hazardous_area ORDER BY id") == [
        ("HA-00001", "worked_on"),
        ("HA-00002", "open"),
    ]
    assert rows("SELECT kind, from_value, to_value, occurred_on::text FROM hazardous_area_event") == [
        ("status", "open", "worked_on", "2023-05-12")
    ]


def test_a_deleted_area_or_a_national_id_in_use_refuses_the_row(tmp_path: Path) -> None:
    imported(write(areas(2), tmp_path / "v1.geojson"))
    [(first_id,), (second_id,)] = rows("SELECT id FROM hazardous_area ORDER BY id")
    with new_session() as session:
        delete_area(session, first_id, actor=SYSTEM, reason="entered twice", if_match="*")
        session.execute(text("UPDATE hazardous_area SET national_id = :n WHERE id = :i"), {"n": "UA-1", "i": second_id})
        session.commit()
    again = areas(3)
    again["National ID"] = [None, "UA-1", "UA-1"]
    job = imported(write(again, tmp_path / "v2.geojson"), skip_refused=True)
    problems = refusals(job.id)
    assert [(row, field) for row, field, _ in problems] == [(1, "external_id"), (3, "national_id")]
    assert problems[0][2].startswith(f"hazardous area {first_id}, which has this external id, was deleted on ")
    assert problems[1][2] == "national id 'UA-1' is already used by row 2 of the file"
    clash = areas(4)
    clash["National ID"] = [None, "UA-1", None, "UA-1"]
    job = imported(write(clash.iloc[[1, 3]], tmp_path / "v3.geojson"), skip_refused=True, source="another source")
    assert refusals(job.id) == [
        (1, "national_id", f"national id UA-1 is already used by hazardous area {second_id}"),
        (2, "national_id", "national id 'UA-1' is already used by row 1 of the file"),
    ]


def load_units(country: str) -> None:
    """Nested units of a country: a province, two districts in it, a commune in the first."""
    with new_session() as session:
        for level, code, parent, shape in (
            (1, f"{country}01", None, box(20, 42, 21, 43)),
            (2, f"{country}0101", f"{country}01", box(20, 42, 20.5, 42.5)),
            (3, f"{country}010101", f"{country}0101", box(20, 42, 20.25, 42.25)),
            (2, f"{country}0102", f"{country}01", box(20.5, 42.5, 21, 43)),
        ):
            geom = ewkb([MultiPolygon([shape])])[0]
            unit = AdminUnit(country=country, level=level, code=code, name=code, parent_code=parent, geom=geom)
            unit.created_by = "tests"
            session.add(unit)
        session.commit()


def test_admin_codes_come_from_any_countrys_loaded_boundaries_and_given_ones_must_be_loaded(tmp_path: Path) -> None:
    load_units("XK")
    frame = areas(4, lon=20.1, lat=42.1)
    frame["adm3_pcode"] = [None, "XK010101", "XK999999", "XK010101"]
    frame["adm2_pcode"] = [None, None, None, "XK0102"]
    job = imported(write(frame, tmp_path / "kosovo.geojson"), skip_refused=True, source="xk")
    assert refusals(job.id) == [
        (
            3,
            "hromada_code",
            "hromada_code XK999999 is not a loaded level-3 admin unit: see GET /api/v1/admin-units?level=3, or "
            "leave it blank to derive it from the geometry",
        ),
        (
            4,
            "raion_code",
            "hromada_code XK010101 lies in raion_code XK0101, not XK0102: give codes that nest, or leave the wider "
            "ones blank to derive them",
        ),
    ]
    assert rows("SELECT external_id, oblast_code, raion_code, hromada_code FROM hazardous_area ORDER BY id") == [
        ("HA-00001", "XK01", "XK0101", "XK010101"),
        ("HA-00002", "XK01", "XK0101", "XK010101"),
    ]


def test_quality_flags_are_computed_for_the_imported_areas(tmp_path: Path) -> None:
    frame = areas(3)
    frame.loc[2, "geometry"] = frame.loc[1, "geometry"]  # the same polygon twice
    job = imported(write(frame, tmp_path / "dupes.geojson"))
    assert job.counts["created"] == 3
    flags = rows(
        "SELECT h.external_id, q.kind FROM quality_flag q JOIN hazardous_area h ON h.id = q.hazardous_area_id "
        "ORDER BY h.external_id, q.kind"
    )
    assert ("HA-00002", "duplicate_geometry") in flags and ("HA-00003", "duplicate_geometry") in flags
    assert ("HA-00001", "duplicate_geometry") not in flags


def test_an_area_reported_without_a_date_is_stored_with_its_date_unknown(tmp_path: Path) -> None:
    frame = areas(2)
    frame["Date of report"] = [None, "невідомо"]
    imported(write(frame, tmp_path / "undated.geojson"))
    assert rows("SELECT reported_on, reported_on_precision, information_date FROM hazardous_area") == [
        (None, "unknown", None),
        (None, "unknown", None),
    ]
    assert date(2023, 5, 12)  # the other rows' date: unknown dates get no placeholder
