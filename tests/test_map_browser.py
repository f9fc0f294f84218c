"""The map page in headless Chromium, with every request off 127.0.0.1 blocked and counted."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pytest
import uvicorn
from playwright.sync_api import Page

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


@dataclass
class OfflinePage:
    """A Chromium page whose requests off 127.0.0.1 are blocked and recorded, as are JS errors."""

    page: Page
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def screenshot(self, name: str) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / name))


@pytest.fixture
def offline_page() -> Iterator[OfflinePage]:
    from playwright.sync_api import Route, sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        result = OfflinePage(browser.new_page(viewport={"width": 1366, "height": 768}))

        def only_loopback(route: Route) -> None:
            if urlparse(route.request.url).hostname == "127.0.0.1":
                route.continue_()
            else:
                result.blocked.append(route.request.url)
                route.abort()

        result.page.route("**/*", only_loopback)
        result.page.on("pageerror", lambda error: result.errors.append(str(error)))
        result.page.on("console", lambda msg: result.errors.append(msg.text) if msg.type == "error" else None)
        yield result
        browser.close()


@pytest.mark.browser
def test_map_page_renders_hazards_from_vector_tiles_offline(server: str, offline_page: OfflinePage) -> None:
    page = offline_page.page
    tiles: list[str] = []
    page.on("response", lambda r: tiles.append(r.url) if "/tiles/hazardous-areas/" in r.url and r.ok else None)
    page.goto(f"{server}/map", wait_until="networkidle")
    # CHA red, SHA amber, closed green (IMAS symbology), drawn by VectorGrid's SVG renderer.
    fills = ("#FF0000", "#F4A718", "#1A9850")
    hazards = page.locator(", ".join(f"path[fill='{fill}']" for fill in fills))
    hazards.first.wait_for(state="attached", timeout=10_000)
    offline_page.screenshot("map-1366x768.png")
    assert offline_page.blocked == []
    assert offline_page.errors == []
    assert tiles, "no vector tile was requested"
    assert all(url.split("?")[0].endswith(".mvt") for url in tiles)
    assert hazards.count() > 0
    legend = page.locator("#legend").inner_text()
    assert f"{DEMO_AREAS} recorded" in legend
    assert "CHA" in legend and "SHA" in legend
    # Clicking an area opens its details.
    hazards.first.click(force=True)
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for(timeout=5_000)
    assert "m² remaining" in popup.inner_text() and "timeline" in popup.inner_text()


@pytest.mark.browser
def test_api_docs_render_offline(server: str, offline_page: OfflinePage) -> None:
    page = offline_page.page
    page.goto(f"{server}/docs", wait_until="networkidle")
    operations = page.locator(".opblock")
    operations.first.wait_for(timeout=10_000)
    offline_page.screenshot("docs-1366x768.png")
    assert offline_page.blocked == []
    assert offline_page.errors == []
    assert operations.count() >= 12
    one_area = re.compile(r"^/api/v1/hazardous-areas/\{area_id\}$")
    assert page.locator(".opblock-summary-path").filter(has_text=one_area).count() == 3  # GET, PATCH, DELETE
