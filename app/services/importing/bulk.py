"""COPY of a whole pandas table at once, as CSV written by pandas' C writer (imports of 100,000 rows).

`app/db/bulk.py` streams rows one by one; an import's staging table and report have tens of columns
and as many rows as the file, where formatting every value in Python would cost seconds.
"""

from __future__ import annotations

import io

import pandas as pd
from sqlalchemy.orm import Session


def copy_frame(session: Session, table: str, frame: pd.DataFrame) -> None:
    """COPY `frame` into `table` (columns by name) in the session's transaction; None/NaN become NULL.

    Cells must already be text the column accepts: numbers, ISO dates, array literals, EWKB hex.
    """
    if frame.empty:
        return
    buffer = io.StringIO()
    frame.to_csv(buffer, header=False, index=False, na_rep="")
    cursor = session.connection().connection.driver_connection.cursor()  # type: ignore[union-attr]
    columns = ", ".join(frame.columns)
    with cursor.copy(f"COPY {table} ({columns}) FROM STDIN (FORMAT csv)") as copy:
        copy.write(buffer.getvalue())
