"""Headless Chromium against the app on a loopback port: every request off the test server blocked and recorded."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import uvicorn
from playwright.sync_api import Browser, Page, Playwright, Route

ARTIFACTS = Path(__file__).parent / "artifacts"
CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium phones home at start-up (and is refused here).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1366, "height": 768}
# The screens every workflow is walked at (issue 13): a laptop, a small laptop or tablet, a phone held upright.
# Each is keyword arguments for offline_page (Playwright's new_context).
SCREENS: dict[str, dict[str, Any]] = {
    "1366x768": {"viewport": VIEWPORT},
    "1024x768": {"viewport": {"width": 1024, "height": 768}},
    "390x844": {
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "has_touch": True,
        "device_scale_factor": 2,
    },
}
# axe-core, vendored by npm beside the dashboard's other assets (app/dashboard/package.json).
AXE = Path(__file__).parent.parent / "app" / "dashboard" / "node_modules" / "axe-core" / "axe.min.js"


@contextmanager
def live_server(app: Any) -> Iterator[str]:
    """The app served by uvicorn on a free loopback port, in a thread; yields its base URL."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    uv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not uv.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        uv.should_exit = True
        thread.join(timeout=10)


@dataclass
class OfflinePage:
    """A Chromium page whose requests off the test server are blocked and recorded, as are JS errors."""

    page: Page
    server: str
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)  # every URL the page asked the test server for

    def screenshot(self, name: str, directory: Path = ARTIFACTS) -> Path:
        directory.mkdir(exist_ok=True)
        path = directory / name
        self.page.screenshot(path=str(path))
        return path

    def log_in(self, username: str, password: str) -> None:
        """Log in with the browser's cookie jar (the form's POST, without loading a page)."""
        answer = self.page.request.post(
            f"{self.server}/login", form={"username": username, "password": password}, max_redirects=0
        )
        assert answer.status == 303, answer.text()


def launch(pw: Playwright) -> Browser:
    """Headless Chromium from the system, quiet on the network."""
    return pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def offline_page(browser: Browser, server: str, **context: Any) -> OfflinePage:
    """A new page in a fresh context (no cookies) that may reach `server` only.

    `context` goes to Playwright's new_context (a phone: viewport, is_mobile, has_touch).
    """
    origin = urlparse(server).netloc
    options = {"viewport": VIEWPORT, **context}
    result = OfflinePage(browser.new_context(**options).new_page(), server)

    def only_the_server(route: Route) -> None:
        if urlparse(route.request.url).netloc == origin:
            result.requests.append(route.request.url)
            route.continue_()
        else:
            result.blocked.append(route.request.url)
            route.abort()

    result.page.route("**/*", only_the_server)
    result.page.on("pageerror", lambda error: result.errors.append(str(error)))
    result.page.on("console", lambda msg: result.errors.append(msg.text) if msg.type == "error" else None)
    return result


def axe(page: Page, *, impacts: tuple[str, ...] = ("critical", "serious")) -> list[dict[str, Any]]:
    """axe-core's violations of the page as it stands, of the given impacts: [{id, impact, help, nodes}].

    The script is injected inline (no request leaves the page); every rule axe runs by default is
    checked (WCAG 2.0-2.2 A/AA and best practices). docs/accessibility.md says what is asserted where.
    """
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    violations: list[dict[str, Any]] = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']})).violations.map((v) => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ') + ' :: ' + n.failureSummary)}))"""
    )
    return [v for v in violations if v["impact"] in impacts]
