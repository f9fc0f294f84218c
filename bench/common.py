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


def viewer_credentials() -> tuple[str, str]:
    """A viewer in the bench database: (API token, browser session id), as a real reader would hold.

    Every call behind the login pays for finding its caller: the benchmarks measure that too.
    """
    from sqlalchemy import select

    from app.db.models import Organisation
    from app.db.session import new_session
    from app.domain.access import Actor
    from app.services.accounts.sessions import log_in
    from app.services.accounts.tokens import issue_token
    from app.services.accounts.users import create_user

    password = "bench viewer password"
    with new_session() as session:
        org_id = session.scalars(select(Organisation.id).order_by(Organisation.id)).first()
        if org_id is None:
            org = Organisation(
                name="Bench authority", kind="national_authority", created_by="bench", updated_by="bench"
            )
            session.add(org)
            session.flush()
            org_id = org.id
        user = create_user(session, username="bench.viewer", role="viewer", organisation_id=org_id,
                           password=password, actor=Actor.system("bench"))  # fmt: skip
        token = issue_token(session, user=user, name="bench", days=1, max_days=1, actor=Actor.system("bench")).secret
        login = log_in(session, "bench.viewer", password, hours=12)
        assert login is not None
        session.commit()
    return token, login.session_id
