"""What every benchmark shares: a throwaway database at the latest schema, and medians of timed runs."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def scratch_database() -> Iterator[str]:
    """A new database on the configured server, migrated and made the app's, dropped afterwards."""
    from app.db.migrations import upgrade
    from app.db.scratch import create_database, drop_database
    from app.db.session import use_database

    url = create_database("mais_bench")
    try:
        upgrade(url, configure_logger=False)
        use_database(url)
        yield url
    finally:
        use_database(None)
        drop_database(url)


def median_seconds(fn: Callable[[], object], repeat: int) -> float:
    """Median wall time of `repeat` calls."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)
