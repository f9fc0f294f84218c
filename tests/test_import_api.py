"""The import API: upload (202), follow the job, read its report (JSON or CSV), cancel it, keep mappings."""

from __future__ import annotations

import csv
import io
import threading
from pathlib import Path

import pandas as pd
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from app.db.session import new_session
from app.services.importing import progress
from app.services.importing.jobs import run_job
from app.services.importing.progress import Tracker
from app.services.importing.submission import create_job
from tests.accounts import Account
from tests.import_files import SYSTEM, areas, finished, upload, write

IMPORTS = "/api/v1/imports"
MAPPINGS = "/api/v1/import-mappings"


def count(sql: str, **params: object) -> int:
    with new_session() as session:
        return int(session.execute(text(sql), params).scalar_one())


def test_an_upload_is_queued_202_then_followed_to_its_outcome_and_report(client: TestClient, tmp_path: Path) -> None:
    response = upload(client, write(areas(3), tmp_path / "export.geojson"), source="IMSMA export 2024")
    assert response.status_code == 202, response.text
    job = response.json()
    assert response.headers["location"] == f"{IMPORTS}/{job['id']}"
    assert (job["status"], job["rows_total"], job["filename"], job["dry_run"]) == ("queued", 3, "export.geojson", False)
    done = finished(client, job["id"])
    assert (done["status"], done["rows_done"], done["error"]) == ("done", 3, None)
    assert done["counts"] == {"created": 3, "updated": 0, "repaired": 0, "refused": 0, "skipped": 0}
    assert [j["id"] for j in client.get(IMPORTS).json()["items"]] == [job["id"]]
    report = client.get(f"{IMPORTS}/{job['id']}/report").json()
    assert [(e["row"], e["external_id"], e["outcome"]) for e in report["entries"] if e["row"]] == [
        (1, "HA-00001", "created"),
        (2, "HA-00002", "created"),
        (3, "HA-00003", "created"),
    ]
    assert all(e["record_id"] for e in report["entries"] if e["row"])
    download = client.get(f"{IMPORTS}/{job['id']}/report", params={"format": "csv"})
    assert download.headers["content-type"].startswith("text/csv")
    assert "attachment" in download.headers["content-disposition"]
    lines = list(csv.reader(io.StringIO(download.text)))
    assert lines[0] == ["row", "external_id", "outcome", "field", "problem", "suggestion"]
    assert lines[-1] == ["3", "HA-00003", "created", "", "", ""]
    assert count("SELECT count(*) FROM hazardous_area WHERE source = :s", s="IMSMA export 2024") == 3


def test_the_audit_trail_holds_one_entry_naming_the_job_with_a_change_per_created_area(
    client: TestClient, admin: Account, tmp_path: Path
) -> None:
    job = upload(client, write(areas(3), tmp_path / "export.geojson")).json()
    assert finished(client, job["id"])["status"] == "done"
    with new_session() as session:
        entries = session.execute(
            text("SELECT id, user_name, request FROM audit_entry WHERE import_job_id = :j"), {"j": job["id"]}
        ).all()
        assert [(user, request) for _, user, request in entries] == [(admin.username, f"import {job['id']}")]
        changes = session.execute(
            text(
                "SELECT entity, action, record_id, after ->> 'external_id', after -> 'geom' ? 'wkb_sha256' "
                "FROM audit_change WHERE entry_id = :e ORDER BY record_id"
            ),
            {"e": entries[0].id},
        ).all()
        ids = session.execute(text("SELECT id FROM hazardous_area ORDER BY id")).scalars().all()
    assert [tuple(c) for c in changes] == [
        ("hazardous_area", "create", ids[0], "HA-00001", True),
        ("hazardous_area", "create", ids[1], "HA-00002", True),
        ("hazardous_area", "create", ids[2], "HA-00003", True),
    ]


def test_a_dry_run_reports_what_would_be_done_and_writes_nothing_but_the_job_and_its_report(
    client: TestClient, tmp_path: Path
) -> None:
    job = upload(client, write(areas(4), tmp_path / "export.geojson"), dry_run=True).json()
    done = finished(client, job["id"])
    assert (done["status"], done["dry_run"]) == ("done", True)
    assert done["counts"] == {"created": 4, "updated": 0, "repaired": 0, "refused": 0, "skipped": 0}
    entries = client.get(f"{IMPORTS}/{job['id']}/report").json()["entries"]
    assert [(e["outcome"], e["record_id"]) for e in entries if e["row"]] == [("created", None)] * 4
    assert count("SELECT count(*) FROM hazardous_area") == 0
    assert count("SELECT count(*) FROM audit_entry WHERE import_job_id = :j", j=job["id"]) == 0


def test_the_report_pages_and_filters_by_outcome(client: TestClient, tmp_path: Path) -> None:
    frame = areas(5)
    frame.loc[2, "Hazard Type"] = "?"
    job = upload(client, write(frame, tmp_path / "export.geojson"), skip_refused=True).json()
    finished(client, job["id"])
    refused = client.get(f"{IMPORTS}/{job['id']}/report", params={"outcome": "refused"}).json()
    assert [(e["row"], e["field"]) for e in refused["entries"]] == [(3, "classification")]
    pages = [client.get(f"{IMPORTS}/{job['id']}/report", params={"limit": 2}).json()]
    while len(pages[-1]["links"]) > 1:
        pages.append(client.get(pages[-1]["links"][1]["href"]).json())
    assert [page["numberReturned"] for page in pages] == [2, 2, 2, 1]  # two lines of guesses on the file, five rows
    assert [e["row"] for page in pages for e in page["entries"]] == [0, 0, 1, 2, 3, 4, 5]


def test_a_mapping_is_saved_by_name_replaced_and_reused(client: TestClient, tmp_path: Path) -> None:
    frame = areas(2).rename(columns={"ID": "HAZ_REF", "Hazard Type": "STATUS_CODE"})
    frame["STATUS_CODE"] = ["S", "C"]
    body = {
        "name": "operator X export",
        "kind": "hazardous_areas",
        "mapping": {"external_id": {"column": "HAZ_REF"}, "classification": {"column": "STATUS_CODE"}},
    }
    assert client.post(MAPPINGS, json=body).status_code == 201
    body["mapping"]["classification"]["values"] = {"S": "SHA", "C": "CHA"}
    replaced = client.post(MAPPINGS, json=body)
    assert replaced.status_code == 200
    assert replaced.json()["mapping"]["classification"] == {"column": "STATUS_CODE", "values": {"S": "SHA", "C": "CHA"}}
    assert [m["name"] for m in client.get(MAPPINGS).json()] == ["operator X export"]
    path = write(frame, tmp_path / "x.geojson")
    job = upload(client, path, mapping_name="operator X export").json()
    assert finished(client, job["id"])["counts"]["created"] == 2
    with new_session() as session:
        stored = session.execute(text("SELECT external_id, classification FROM hazardous_area ORDER BY id")).all()
    assert [tuple(r) for r in stored] == [("HA-00001", "SHA"), ("HA-00002", "CHA")]


@pytest.mark.parametrize(
    ("form", "status", "detail"),
    [
        ({"mapping_name": "nobody saved this"}, 404, "no mapping is saved under the name 'nobody saved this'"),
        ({"mapping": "{not json"}, 422, "mapping is not JSON"),
        ({"mapping": {"hazard_colour": "ID"}}, 422, "mapping names unknown field(s) hazard_colour for hazardous_areas"),
        ({"mapping": {"external_id": "Hazard ID"}}, 422, "mapping.external_id: the file has no column 'Hazard ID'"),
        ({"source": "  "}, 422, "source is required"),
        ({"kind": "minefields"}, 422, None),
    ],
)
def test_a_mapping_or_form_that_does_not_fit_is_refused_before_queueing(
    client: TestClient, tmp_path: Path, form: dict[str, object], status: int, detail: str | None
) -> None:
    response = upload(client, write(areas(1), tmp_path / "one.geojson"), **form)
    assert response.status_code == status, response.text
    if detail:
        assert response.json()["detail"].startswith(detail)
    assert client.get(IMPORTS).json()["numberReturned"] == 0


def test_a_queued_import_is_cancelled_at_once_and_a_finished_one_cannot_be(client: TestClient, tmp_path: Path) -> None:
    path = write(areas(2), tmp_path / "export.geojson")
    with new_session() as session:
        job_id = create_job(session, path, kind="hazardous_areas", source="tests", actor=SYSTEM).id
        session.commit()
    cancelled = client.post(f"{IMPORTS}/{job_id}/cancel")
    assert cancelled.status_code == 200
    assert (cancelled.json()["status"], cancelled.json()["cancel_requested"]) == ("cancelled", True)
    run_job(job_id, path, actor=SYSTEM)  # a worker arriving late does nothing
    assert client.get(f"{IMPORTS}/{job_id}").json()["status"] == "cancelled"
    again = client.post(f"{IMPORTS}/{job_id}/cancel")
    assert again.status_code == 409
    assert again.json()["detail"] == f"import {job_id} is already cancelled: there is nothing to cancel"
    assert client.post(f"{IMPORTS}/{job_id + 1}/cancel").status_code == 404


def test_cancelling_a_running_import_rolls_back_all_it_did(
    client: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(progress, "REPORT_EVERY_S", 0.0)
    path = write(areas(2_000), tmp_path / "national.gpkg")
    with new_session() as session:
        job_id = create_job(session, path, kind="hazardous_areas", source="tests", actor=SYSTEM).id
        session.commit()
    staged, go_on = threading.Event(), threading.Event()

    def hold(done: int, total: int) -> None:
        if done > 0 and not staged.is_set():  # every row staged, nothing written yet: the user cancels now
            staged.set()
            go_on.wait(30)

    worker = threading.Thread(
        target=run_job, args=(job_id, path), kwargs={"actor": SYSTEM, "tracker": Tracker(job_id, on_progress=hold)}
    )
    worker.start()
    assert staged.wait(60)
    asked = client.post(f"{IMPORTS}/{job_id}/cancel")
    assert (asked.status_code, asked.json()["status"], asked.json()["cancel_requested"]) == (200, "running", True)
    go_on.set()
    worker.join(60)
    job = client.get(f"{IMPORTS}/{job_id}").json()
    assert job["status"] == "cancelled"
    assert job["error"] == f"import {job_id} cancelled at row 2,000 of 2,000: nothing was written"
    assert count("SELECT count(*) FROM hazardous_area") == 0


def test_unknown_jobs_are_404s(client: TestClient) -> None:
    assert client.get(f"{IMPORTS}/4242").json() == {"detail": "import 4242 does not exist"}
    assert client.get(f"{IMPORTS}/4242/report").status_code == 404
    assert client.get(f"{IMPORTS}/4242/report", params={"format": "csv"}).status_code == 404


def test_cancelling_a_running_row_by_row_import_rolls_back_the_rows_already_recorded(
    client: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(progress, "REPORT_EVERY_S", 0.0)
    table = {"id": ["A-1", "A-2", "A-3"], "date": ["2024-06-03"] * 3, "type": ["mine"] * 3}
    path = tmp_path / "accidents.csv"
    pd.DataFrame({**table, "lon": [36.2, 36.3, 36.4], "lat": [50.0, 50.0, 50.0]}).to_csv(path, index=False)
    with new_session() as session:
        job_id = create_job(session, path, kind="accidents", source="tests", actor=SYSTEM).id
        session.commit()
    first, go_on = threading.Event(), threading.Event()

    def hold(done: int, total: int) -> None:
        if done == 1 and not first.is_set():  # one accident recorded, in the job's own transaction
            first.set()
            go_on.wait(30)

    worker = threading.Thread(
        target=run_job, args=(job_id, path), kwargs={"actor": SYSTEM, "tracker": Tracker(job_id, on_progress=hold)}
    )
    worker.start()
    assert first.wait(60)
    assert client.post(f"{IMPORTS}/{job_id}/cancel").status_code == 200
    go_on.set()
    worker.join(60)
    assert client.get(f"{IMPORTS}/{job_id}").json()["status"] == "cancelled"
    assert count("SELECT count(*) FROM accident") == 0


def test_an_upload_is_refused_from_its_headers_before_the_file_is_read(
    client: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Regression: FastAPI spooled the whole file before the guard ran, even for a made-up token.
    from app.config import get_settings
    from app.main import app
    from tests.accounts import client_for, make_account

    path = write(areas(3), tmp_path / "areas.gpkg")
    with client_for(app, None) as stranger:
        stranger.headers["Authorization"] = "Bearer made-up"
        assert upload(stranger, path).status_code == 401
    with client_for(app, make_account("viewer")) as viewer:
        refused = upload(viewer, path)
        assert refused.status_code == 403 and refused.json()["detail"] == "the role viewer may not import files"
    monkeypatch.setattr(get_settings(), "import_max_mb", 0)
    too_big = upload(client, path)
    assert too_big.status_code == 413 and "MAIS_IMPORT_MAX_MB" in too_big.json()["detail"]
    assert count("SELECT count(*) FROM import_job") == 0


def test_an_import_the_last_stop_cut_short_is_failed_at_start_not_left_running(
    client: TestClient, tmp_path: Path
) -> None:
    # Regression: a job whose thread died with the server stayed "running" for ever, and cancel
    # could not end it.
    from app.main import app

    path = write(areas(2), tmp_path / "areas.gpkg")
    with new_session() as session:
        job = create_job(session, path, kind="hazardous_areas", source="tests", actor=SYSTEM)
        session.execute(text("UPDATE import_job SET status = 'running' WHERE id = :id"), {"id": job.id})
        session.commit()
        job_id = job.id
    with TestClient(app):  # a start of the server
        pass
    got = client.get(f"{IMPORTS}/{job_id}").json()
    assert got["status"] == "failed"
    assert got["error"] == "interrupted when the server stopped: nothing was written; import the file again"
