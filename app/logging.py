"""Logging, configured once per process: one `key=value` line per event, each with its request id.

An operator greps a request id from a client's error answer (`X-Request-ID`) and finds every line
the request logged. The level comes from `MAIS_LOG_LEVEL`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

# The id of the HTTP request being served ("-" outside one: CLI, startup).
request_id: ContextVar[str] = ContextVar("request_id", default="-")

_configured = False
ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


class KeyValueFormatter(logging.Formatter):
    """`time=… level=… logger=… request_id=… msg="…"`, plus the traceback when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        """One line per event (a traceback follows on the next lines)."""
        when = datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")
        # Escaped so that no message can end its line or fake another key=value field.
        message = record.getMessage().translate(ESCAPES)
        rid = getattr(record, "request_id", "-")
        line = f'time={when} level={record.levelname} logger={record.name} request_id={rid} msg="{message}"'
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


def _stamp_request_id(factory: Callable[..., logging.LogRecord]) -> Callable[..., logging.LogRecord]:
    """A record factory that stamps every record with the request id when it is made (handlers may run later)."""

    def make(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = factory(*args, **kwargs)
        record.request_id = request_id.get()
        return record

    return make


def configure_logging(level: str) -> None:
    """Send the app's loggers (`app.*`, `gis.*`) to stderr at `level`; later calls only change the level."""
    global _configured
    if not _configured:
        logging.setLogRecordFactory(_stamp_request_id(logging.getLogRecordFactory()))
    for name in ("app", "gis"):
        logger = logging.getLogger(name)
        logger.setLevel(level)
        if not _configured:
            handler = logging.StreamHandler()
            handler.setFormatter(KeyValueFormatter())
            logger.addHandler(handler)
    _configured = True
