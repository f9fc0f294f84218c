"""`mais import`: the same job as the API's, run in the foreground with a progress bar, its report written as CSV."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from app.cli import cli
from app.db.session import new_session
from tests.import_files import areas, write

pytestmark = pytest.mark.usefixtures("db")


def test_mais_import_runs_the_job_prints_the_outcome_and_writes_the_report(tmp_path: Path) -> None:
    frame = areas(3)
    frame.loc[1, "Hazard Type"] = "?"
    path = write(frame, tmp_path / "export.gpkg")
    report = tmp_path / "report.csv"
    args = ["import", str(path), "--kind", "hazardous_areas", "--source", "imsma", "--report", str(report)]
    held = CliRunner().invoke(cli, args)
    assert held.exit_code == 1
    assert "1 of 3 rows refused: nothing was written" in held.output
    assert "row 2 (HA-00002): classification: column 'Hazard Type': '?' is not one of SHA, CHA" in held.output
    lines = list(csv.DictReader(report.open(encoding="utf-8")))
    assert [(r["row"], r["outcome"]) for r in lines if r["row"] != "0"] == [
        ("1", "skipped"),
        ("2", "refused"),
        ("3", "skipped"),
    ]
    written = CliRunner().invoke(cli, [*args, "--skip-refused"])
    assert written.exit_code == 0, written.output
    assert "rows that were: 2 created, 0 updated, 0 repaired, 0 skipped, 1 refused" in written.output
    with new_session() as session:
        jobs = session.execute(text("SELECT status, created_by FROM import_job ORDER BY id")).all()
        assert [tuple(j) for j in jobs] == [("failed", "cli"), ("done", "cli")]
        assert session.execute(text("SELECT count(*) FROM hazardous_area")).scalar_one() == 2


def test_mais_import_refuses_a_broken_file_with_a_message_not_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "cut.zip"
    path.write_bytes(b"PK\x03\x04 half a zip")
    result = CliRunner().invoke(cli, ["import", str(path), "--kind", "hazardous_areas", "--source", "x"])
    assert result.exit_code == 1
    assert "cut.zip is not a readable zip" in result.output
    assert "Traceback" not in result.output


def test_mais_import_never_removes_the_users_own_folder(tmp_path: Path) -> None:
    # Regression: the clean-up of API uploads removed any folder named like theirs, the user's too.
    folder = tmp_path / "mais-import-2024"
    folder.mkdir()
    path = write(areas(2), folder / "areas.gpkg")
    (folder / "notes.txt").write_text("keep me")
    result = CliRunner().invoke(cli, ["import", str(path), "--kind", "hazardous_areas", "--source", "x", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert path.is_file() and (folder / "notes.txt").read_text() == "keep me"


def test_an_uploaded_file_named_dot_dot_is_stored_safely() -> None:
    # Regression: a file named ".." opened the temporary directory itself for writing (a 500).
    import io

    from app.services.importing.submission import discard_upload, store_upload

    for name in ("..", "", "../../etc/passwd", "ділянки.gpkg"):
        stored = store_upload(io.BytesIO(b"x"), name)
        assert stored.is_file() and stored.parent.name.startswith("mais-import-") and stored.read_bytes() == b"x"
        assert stored.name in ("upload", "passwd", "ділянки.gpkg")
        discard_upload(stored)
        assert not stored.parent.exists()
