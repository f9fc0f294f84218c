"""One clock for the whole application, so that "today" is the programme's date and tests can set it.

A release or status change without a date is dated today *in the programme's time zone*
(`MAIS_TIMEZONE`, Europe/Kyiv by default): just after midnight in Kharkiv it is already the
next day there while UTC still has yesterday. Timestamps (`now()`) are UTC.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from app.config import get_settings
from app.domain.errors import Invalid


def _system_now() -> datetime:
    return datetime.now(UTC)


_now: Callable[[], datetime] = _system_now


def now() -> datetime:
    """The current instant, timezone-aware (UTC)."""
    return _now()


def today() -> date:
    """Today's date where the programme works."""
    return now().astimezone(ZoneInfo(get_settings().timezone)).date()


def latest_plausible_date() -> date:
    """The latest date anything can have happened on: today where the calendar is furthest ahead.

    UTC+14 (Line Islands) is the first place to reach a date, so by default a later date is the
    future everywhere; `MAIS_FUTURE_TOLERANCE_HOURS` sets the margin.
    """
    return (now().astimezone(UTC) + timedelta(hours=get_settings().future_tolerance_hours)).date()


def refuse_future(value: date | None, field: str, *, what: str) -> None:
    """A date of something that happened may not lie in the future: 422 naming the field (docs/mine-action.md §4.4).

    A release dated 2099 would make every honest report "late" and block the handover until then.
    """
    if value is not None and value > latest_plausible_date():
        name = field.rsplit(".", 1)[-1]
        raise Invalid(f"{name} {value} is in the future: give the date {what}", field=field)


@contextmanager
def frozen_at(instant: datetime) -> Iterator[None]:
    """Run a block (a test) as if it were `instant` (timezone-aware)."""
    global _now
    previous, _now = _now, lambda: instant
    try:
        yield
    finally:
        _now = previous
