"""Submitting an import: the file looked at, the mapping settled, the job queued; a broken file is refused at once."""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path
from typing import IO, Any

from sqlalchemy.orm import Session

from app.db.models import ImportJob
from app.domain.access import Actor, require
from app.domain.errors import Invalid
from app.domain.vocabulary import IMPORT_KINDS
from app.services.importing.mappings import dumped, effective_mapping, mapping_named, parse_mapping
from gis.importing.readers import ReadError, probe

UPLOAD_PREFIX = "mais-import-"


def store_upload(stream: IO[bytes], filename: str | None) -> Path:
    """Keep an uploaded file in a folder of its own under the system's temporary directory, under its own name.

    The name's extension says the format; anything but the last path component is dropped.
    """
    # Only plain characters of the last component: "..", "", or a name with separators never reach the disk.
    name = re.sub(r"[^\w.-]", "_", Path(filename or "").name).strip(".") or "upload"
    suffix = "".join(Path(filename or "").suffixes[-2:])
    if not name.endswith(suffix):
        name = f"upload{suffix}"
    folder = Path(tempfile.mkdtemp(prefix=UPLOAD_PREFIX))
    path = folder / name
    try:
        with path.open("wb") as out:
            shutil.copyfileobj(stream, out, length=1 << 20)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)  # a copy cut short (disk full, client gone) leaves nothing
        raise
    return path


def discard_upload(path: Path) -> None:
    """Remove an uploaded file and its folder: only a folder `store_upload` made under the temporary directory."""
    folder = path.parent
    if folder.name.startswith(UPLOAD_PREFIX) and folder.parent.resolve() == Path(tempfile.gettempdir()).resolve():
        shutil.rmtree(folder, ignore_errors=True)


def create_job(
    session: Session,
    path: Path,
    *,
    kind: str,
    source: str,
    actor: Actor,
    mapping: dict[str, Any] | None = None,
    mapping_name: str | None = None,
    layer: str | None = None,
    dry_run: bool = False,
    skip_refused: bool = False,
    filename: str | None = None,
) -> ImportJob:
    """Check the file can be read and the mapping fits it, and queue the job (flushed; the caller commits).

    A file that cannot be read (truncated zip, not a spatial file, empty) or a mapping that does not
    fit it is a 422 saying what to fix, before anything is queued.
    """
    require(actor, "data.import")
    if kind not in IMPORT_KINDS:
        raise Invalid(f"kind must be one of {', '.join(IMPORT_KINDS)}", field="kind")
    source = (source or "").strip()
    if not source:
        raise Invalid(
            "source is required: name the system or dataset the file comes from (e.g. IMSMA export 2024); with "
            "each row's external id it is what makes a re-import update its records",
            field="source",
        )
    if mapping is not None and mapping_name is not None:
        raise Invalid("give either a mapping or a mapping_name, not both", field="mapping_name")
    given = mapping_named(session, mapping_name, kind=kind) if mapping_name else parse_mapping(mapping)
    try:
        info = probe(path, layer=layer)
    except ReadError as error:
        raise Invalid(str(error), field="file") from error
    if info.rows == 0:
        raise Invalid(f"{filename or path.name} holds no rows: export the data again", field="file")
    settled = effective_mapping(kind, info.columns, given)
    job = ImportJob(
        kind=kind,
        source=source,
        filename=filename or path.name,
        status="queued",
        dry_run=dry_run,
        skip_refused=skip_refused,
        mapping=dumped(settled),
        rows_total=info.rows,
        created_by=actor.name,
    )
    session.add(job)
    session.flush()
    return job
