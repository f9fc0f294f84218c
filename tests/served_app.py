"""The app served by uvicorn in a process of its own, noting each request's path and query string in a file.

For clients that hold the GIL while they wait for the server (GDAL read through pyogrio): a server in
a thread of the test process could then never answer them.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs
from urllib.request import urlopen


@contextmanager
def app_process(database_url: str, log: Path) -> Iterator[str]:
    """The app on a free loopback port in a child process against `database_url`; yields its base URL."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "DATABASE_URL": database_url, "MAIS_DEFAULT_SCENARIOS": "false"}
    child = subprocess.Popen([sys.executable, "-m", "tests.served_app", str(port), str(log)], env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urlopen(f"{base}/healthz", timeout=2):
                    break
            except OSError:
                assert child.poll() is None, "the app process exited"
                assert time.monotonic() < deadline, "the app process did not start"
                time.sleep(0.2)
        yield base
    finally:
        child.terminate()
        child.wait(timeout=20)


def requests_seen(log: Path) -> list[tuple[str, dict[str, list[str]]]]:
    """(path, query parameters) of every request the app process was sent."""
    if not log.exists():
        return []
    return [(path, parse_qs(query)) for path, query in map(json.loads, log.read_text().splitlines())]


def main() -> None:
    """Serve the app, appending `[path, query]` to the log file for each request."""
    import uvicorn

    from app.main import app

    port, log = int(sys.argv[1]), Path(sys.argv[2])

    async def recorded(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            with log.open("a") as handle:
                handle.write(json.dumps([scope["path"], scope["query_string"].decode()]) + "\n")
        await app(scope, receive, send)

    uvicorn.run(recorded, host="127.0.0.1", port=port, log_level="warning")


if __name__ == "__main__":
    main()
