"""Limits on password checks: a few at a time (argon2id takes 64 MiB each), and few failures per name.

Both are per process: behind several workers each keeps its own count, which still bounds guessing
to a handful of tries per name and minute per worker. A shared store would be the next step.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager

from app.domain.errors import AppError

# Checks at once: about the cores of a small server. More wait, then are told to retry.
CONCURRENT_CHECKS = 2
WAIT_SECONDS = 5.0
# Failures of one username in the window before its logins are refused until the window passes.
MAX_FAILURES = 5
WINDOW_SECONDS = 15 * 60

_checks = threading.BoundedSemaphore(CONCURRENT_CHECKS)
_failures: dict[str, deque[float]] = {}
_lock = threading.Lock()


class LoginThrottled(AppError):
    """Too many password checks at once, or too many failures for one username (429)."""


@contextmanager
def password_check(username: str) -> Iterator[None]:
    """Hold one of the few slots for a password check of `username`, or refuse (429) saying when to retry."""
    with _lock:
        recent = _recent(username)
        if len(recent) >= MAX_FAILURES:
            wait = int(recent[0] + WINDOW_SECONDS - time.monotonic()) // 60 + 1
            raise LoginThrottled(f"Too many failed logins for this name: try again in {wait} minute(s).")
    if not _checks.acquire(timeout=WAIT_SECONDS):
        raise LoginThrottled("The server is busy checking passwords: try again in a moment.")
    try:
        yield
    finally:
        _checks.release()


def failed(username: str) -> None:
    """Count a failed login of `username`."""
    with _lock:
        _recent(username).append(time.monotonic())


def succeeded(username: str) -> None:
    """A right password clears the name's failures."""
    with _lock:
        _failures.pop(username, None)


def _recent(username: str) -> deque[float]:
    times = _failures.setdefault(username, deque())
    while times and times[0] < time.monotonic() - WINDOW_SECONDS:
        times.popleft()
    return times
