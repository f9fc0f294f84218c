"""The map page in headless Chromium, with every request off 127.0.0.1 blocked and counted."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
import uvicorn

from app.db.session import new_session
from app.main import app
from app.services.demo import load_demo

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
DEMO_AREAS = 300


@pytest.fixture
def server(db: None) -> Iterator[str]:
    """The app on a free loopback port, serving the test database with demo data."""
    with new_session() as session:
        load_demo(session, areas=DEMO_AREAS, seed=7)
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
    yield f"http://127.0.0.1:{port}"
    uv.should_exit = True
    thread.join(timeout=10)


@pytest.mark.browser
def test_map_page_renders_hazards_offline(server: str) -> None:
    from playwright.sync_api import Route, sync_playwright

    blocked: list[str] = []
    errors: list[str] = []

    def only_loopback(route: Route) -> None:
        if urlparse(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        page.route("**/*", only_loopback)
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        page.goto(f"{server}/map", wait_until="networkidle")
        hazards = page.locator("path.leaflet-interactive[fill='#FF0000'], path.leaflet-interactive[fill='#F4A718']")
        hazards.first.wait_for(state="attached", timeout=10_000)
        shapes = hazards.count()
        legend = page.locator("#legend").inner_text()
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "map-1366x768.png"))
        browser.close()

    assert blocked == []
    assert errors == []
    assert shapes == DEMO_AREAS
    assert f"{DEMO_AREAS} shown of {DEMO_AREAS}" in legend
    assert "CHA" in legend and "SHA" in legend
