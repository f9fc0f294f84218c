"""One clock for the whole application, so that "today" is the programme's date and tests can set it.

A release or status change without a date is dated today *in the programme's time zone*
(`MAIS_TIMEZONE`, Europe/Kyiv by default): just after midnight in Kharkiv it is already the
next day there while UTC still has yesterday. Timestamps (`now()`) are UTC.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from app.config import get_settings


def _system_now() -> datetime:
    return datetime.now(UTC)


_now: Callable[[], datetime] = _system_now


def now() -> datetime:
    """The current instant, timezone-aware (UTC)."""
    return _now()


def today() -> date:
    """Today's date where the programme works."""
    return now().astimezone(ZoneInfo(get_settings().timezone)).date()


@contextmanager
def frozen_at(instant: datetime) -> Iterator[None]:
    """Run a block (a test) as if it were `instant` (timezone-aware)."""
    global _now
    previous, _now = _now, lambda: instant
    try:
        yield
    finally:
        _now = previous
