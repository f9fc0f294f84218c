"""Time to first rendered hazard and bytes transferred by the map page, beside the naive folium page.

Builds (in a throwaway database, by COPY) 100,000 synthetic hazardous areas, serves the app with
uvicorn in a subprocess and loads, in headless Chromium at 1366×768 with a fresh browser context
per run (every run cold) and every request off 127.0.0.1 refused:
  - ours: `/map`, hazards drawn from vector tiles into the Leaflet pane `hazards`;
  - peer: the same view built the naive way, every area embedded in the page as one folium.GeoJson
    layer (IMAS colours by a style function), the page served as a static file by python's http.server.
The offline base map (/tiles/basemap, docs/base-map.md) is part of our page: its tiles count in
the bytes, and the report gives their share.
First hazard: the first SVG `path` in `.leaflet-hazards-pane` (ours) or `.leaflet-overlay-pane` (peer),
seen by a MutationObserver; its time is taken after the next frame (performance.now(), i.e. from
navigation start). Bytes: CDP Network.loadingFinished encodedDataLength (headers included) of every
response finished by then, and by network idle (no request in flight for 500 ms).
Targets (issue 5): first render ≤ 1.5 s, ≤ 1.5 MB transferred, ≤ 1/4 of the naive page's render time.
Run: .venv/bin/python -m bench.dashboard [--areas N] [--runs R] [--naive-runs R] [--naive-timeout S]
     [--with-work] [--verbose]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from sqlalchemy import text

from bench.common import scratch_database, viewer_credentials

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
VIEWPORT = {"width": 1366, "height": 768}
# As tests/test_map_browser.py, plus a dead proxy for everything but loopback: off-host requests fail
# at once without Playwright routing every request through Python (which would slow what we time).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--proxy-server=http://127.0.0.1:9",
    "--proxy-bypass-list=127.0.0.1",
]
OURS_PANE = ".leaflet-hazards-pane path"
NAIVE_PANE = ".leaflet-overlay-pane path"
TARGET_MS = 1500
TARGET_BYTES = 1_500_000
TARGET_RATIO = 0.25
IDLE_MS = 500
IDLE_TIMEOUT_S = 30

# Installed before any page script: the first hazard path, then the frame that paints it.
FIRST_HAZARD_JS = """
(() => {
    const selector = %s;
    const mark = window.__bench = {detected: null, painted: null};
    const observer = new MutationObserver(() => {
        if (mark.detected !== null || !document.querySelector(selector)) return;
        mark.detected = performance.now();
        observer.disconnect();
        requestAnimationFrame(() => setTimeout(() => { mark.painted = performance.now(); }, 0));
    });
    observer.observe(document, {childList: true, subtree: true});
})();
"""
# The page's Leaflet map (folium declares it as a global), to give the naive page the same view.
MAP_VIEW_JS = """() => {
    if (typeof L === 'undefined') return null;
    for (const key of Object.keys(window)) {
        const value = window[key];
        if (value instanceof L.Map) {
            const c = value.getCenter();
            return {lat: c.lat, lng: c.lng, zoom: value.getZoom(), zoomSnap: value.options.zoomSnap};
        }
    }
    return null;
}"""


@dataclass
class Response:
    """One request of a page load, as the DevTools protocol saw it."""

    url: str
    kind: str = "Other"
    status: int = 0
    sent: float = 0.0  # CDP monotonic seconds
    finished: float | None = None
    bytes: int = 0
    failed: bool = False


@dataclass
class Run:
    """One cold page load."""

    first_hazard_ms: float | None = None  # painted, from navigation start
    detected_ms: float | None = None
    bytes_first: int = 0
    bytes_idle: int = 0
    idle_ms: float | None = None
    responses: list[Response] = field(default_factory=list)
    off_host: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    view: dict[str, Any] | None = None
    timed_out: bool = False
    page_origin: Callable[[float], float] | None = None  # CDP monotonic s → ms from navigation start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--areas", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5, help="cold loads of our page")
    parser.add_argument("--naive-runs", type=int, default=3, help="cold loads of the naive page")
    parser.add_argument("--naive-timeout", type=float, default=180.0, help="seconds allowed per naive load")
    parser.add_argument("--with-work", action="store_true", help="also load the demo's tasks and releases (slow)")
    parser.add_argument("--verbose", action="store_true", help="list every request of our median run")
    args = parser.parse_args()

    with scratch_database() as url:
        run(url, args.areas, args.runs, args.naive_runs, args.naive_timeout, args.with_work, args.verbose)


def run(url: str, areas: int, runs: int, naive_runs: int, naive_timeout: float, with_work: bool, verbose: bool) -> None:
    from playwright.sync_api import sync_playwright

    from app.db.session import get_engine, new_session
    from app.demo.seed import load_demo

    t0 = time.perf_counter()
    with new_session() as session:
        load_demo(session, areas=areas, seed=1, with_work=with_work, with_context=False)  # ranks the areas too
    # Likewise no autovacuum pass over the fresh bulk load during the timed runs.
    with get_engine().connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))
    print(f"loaded and ranked {areas:,} areas{' with their work' if with_work else ''}, vacuumed, "
          f"in {time.perf_counter() - t0:.1f} s")  # fmt: skip

    _, session_id = viewer_credentials()  # a logged-in viewer: the cookie of each fresh context
    with tempfile.TemporaryDirectory(prefix="mais-bench-") as tmp, _app_server(url) as app_url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        cookie = {"name": "mais_session", "value": session_id, "url": app_url}
        warm = _load(browser, f"{app_url}/map", OURS_PANE, timeout_s=60, cookie=cookie)  # warms the server, untimed
        if warm.first_hazard_ms is None or warm.view is None:
            raise SystemExit(f"our page drew no hazard within 60 s; errors: {warm.errors}")
        ours = [_load(browser, f"{app_url}/map", OURS_PANE, timeout_s=60, cookie=cookie) for _ in range(runs)]

        t0 = time.perf_counter()
        html = _naive_page(get_engine(), warm.view, app_url)
        page_path = Path(tmp) / "naive.html"
        page_path.write_text(html, encoding="utf-8")
        (Path(tmp) / "favicon.ico").write_bytes(b"")  # as our app, no 404 console error for the icon
        html_bytes = page_path.stat().st_size
        print(f"built the naive page ({html_bytes / 1e6:.1f} MB of HTML) in {time.perf_counter() - t0:.1f} s")
        with _static_server(Path(tmp)) as static_url:
            naive = [
                _load(browser, f"{static_url}/naive.html", NAIVE_PANE, timeout_s=naive_timeout)
                for _ in range(naive_runs)
            ]
        browser.close()
    _report(ours, naive, html_bytes, naive_timeout, verbose)


def _load(browser: Any, url: str, selector: str, *, timeout_s: float, cookie: dict[str, str] | None = None) -> Run:
    """One cold load (logged in when given the session cookie): time to the first painted hazard, and bytes."""
    result = Run()
    context = browser.new_context(viewport=VIEWPORT)
    if cookie:
        context.add_cookies([cookie])
    try:
        context.add_init_script(FIRST_HAZARD_JS % json.dumps(selector))
        page = context.new_page()
        page.on("pageerror", lambda error: result.errors.append(str(error)))
        page.on("console", lambda msg: result.errors.append(msg.text) if msg.type == "error" else None)
        responses: dict[str, Response] = {}
        anchor: list[tuple[float, float]] = []  # (CDP monotonic s, wall s) of the first request
        cdp = context.new_cdp_session(page)

        def sent(e: dict[str, Any]) -> None:
            request_url = e["request"]["url"]
            if not request_url.startswith(("http:", "https:", "ws:", "wss:")):
                return
            if urlparse(request_url).hostname != "127.0.0.1":
                result.off_host.append(request_url)
            if not anchor:
                anchor.append((e["timestamp"], e["wallTime"]))
            responses[e["requestId"]] = Response(request_url, e.get("type", "Other"), sent=e["timestamp"])

        def received(e: dict[str, Any]) -> None:
            if (r := responses.get(e["requestId"])) is not None:
                r.status, r.kind = e["response"]["status"], e.get("type", r.kind)

        def finished(e: dict[str, Any]) -> None:
            if (r := responses.get(e["requestId"])) is not None:
                r.finished, r.bytes = e["timestamp"], int(e["encodedDataLength"])

        def failed(e: dict[str, Any]) -> None:
            if (r := responses.get(e["requestId"])) is not None:
                r.finished, r.failed = e["timestamp"], True

        cdp.on("Network.requestWillBeSent", sent)
        cdp.on("Network.responseReceived", received)
        cdp.on("Network.loadingFinished", finished)
        cdp.on("Network.loadingFailed", failed)
        cdp.send("Network.enable")

        deadline = time.monotonic() + timeout_s
        try:
            page.goto(url, wait_until="commit", timeout=timeout_s * 1000)
            remaining = max(1.0, deadline - time.monotonic())
            page.wait_for_function("window.__bench && window.__bench.painted !== null", timeout=remaining * 1000)
        except Exception as error:  # Playwright's TimeoutError, or a page that crashed under the load
            result.timed_out = True
            result.errors.append(f"no hazard painted within {timeout_s:.0f} s: {type(error).__name__}")
            result.responses = list(responses.values())
            return result
        mark = page.evaluate("window.__bench")
        result.detected_ms, result.first_hazard_ms = mark["detected"], mark["painted"]
        result.view = page.evaluate(MAP_VIEW_JS)
        _wait_idle(page, responses)
        origin_ms = page.evaluate("performance.timeOrigin")
        result.responses = list(responses.values())

        def page_ms(monotonic_s: float) -> float:
            mono0, wall0 = anchor[0]
            return (wall0 + monotonic_s - mono0) * 1000 - origin_ms

        result.page_origin = page_ms
        done = [r for r in result.responses if r.finished is not None]
        result.bytes_first = sum(r.bytes for r in done if page_ms(r.finished or 0) <= result.first_hazard_ms)
        result.bytes_idle = sum(r.bytes for r in done)
        result.idle_ms = page_ms(max(r.finished or 0 for r in done)) if done else None
        return result
    finally:
        context.close()


def _wait_idle(page: Any, responses: dict[str, Response]) -> None:
    """Until no request has been in flight for IDLE_MS (CDP events are taken while Playwright waits)."""
    deadline = time.monotonic() + IDLE_TIMEOUT_S
    quiet_since = time.monotonic()
    seen = -1
    while time.monotonic() < deadline:
        busy = any(r.finished is None for r in responses.values())
        if busy or len(responses) != seen:
            quiet_since, seen = time.monotonic(), len(responses)
        elif (time.monotonic() - quiet_since) * 1000 >= IDLE_MS:
            return
        page.wait_for_timeout(100)


def _naive_page(engine: Any, view: dict[str, Any], app_url: str) -> str:
    """Every live area embedded in one folium.GeoJson layer, styled in Python: how folium is used naively."""
    import folium

    from app.dashboard.assets import CSS, JS
    from app.dashboard.symbology import DASHED, FILL, OUTLINE, RELEASED

    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT id, name, classification, status, ST_AsGeoJSON(geom, 6) FROM hazardous_area "
                "WHERE deleted_at IS NULL ORDER BY id"
            )
        ).all()
    features = [
        {
            "type": "Feature",
            "id": area_id,
            "geometry": json.loads(geometry),
            "properties": {"id": area_id, "name": name, "classification": classification, "status": status},
        }
        for area_id, name, classification, status, geometry in rows
    ]

    def style(feature: dict[str, Any]) -> dict[str, Any]:
        p = feature["properties"]
        closed = p["status"] in ("closed", "handed_over")
        return {
            "fillColor": RELEASED if closed else FILL[p["classification"]],
            "color": RELEASED if closed else OUTLINE[p["classification"]],
            "weight": 1.5,
            "fillOpacity": 0.45,
            "dashArray": DASHED if p["status"] == "worked_on" else None,
        }

    fmap = folium.Map(
        location=[view["lat"], view["lng"]],
        zoom_start=view["zoom"],
        zoom_snap=view["zoomSnap"],
        tiles=None,
        control_scale=True,
        prefer_canvas=False,
    )
    # The same vendored Leaflet as our page, fetched from the app (127.0.0.1): no CDN.
    fmap.default_js = [(name, app_url + path if path.startswith("/") else path) for name, path in JS]
    fmap.default_css = [(name, app_url + path if path.startswith("/") else path) for name, path in CSS]
    folium.GeoJson({"type": "FeatureCollection", "features": features}, name="Hazardous areas",
                   style_function=style).add_to(fmap)  # fmt: skip
    return fmap.get_root().render()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def _serving(command: list[str], env: dict[str, str], probe: str) -> Iterator[None]:
    """A server subprocess, ready once `probe` answers; stopped (by its own pid) on exit."""
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(probe, timeout=30) as response:
                    response.read()
                break
            except urllib.error.HTTPError:  # it answers (a 401 for a caller without a session): it is up
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"server did not start: {' '.join(command)}") from None
                time.sleep(0.2)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@contextlib.contextmanager
def _app_server(database_url: str) -> Iterator[str]:
    """The app under uvicorn (one worker), serving the bench database."""
    port = _free_port()
    command = [sys.executable, "-m", "uvicorn", "app.main:app", "--host", "127.0.0.1", "--port", str(port),
               "--log-level", "warning", "--no-access-log"]  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    with _serving(command, {**os.environ, "DATABASE_URL": database_url}, f"{base}/map"):
        yield base


@contextlib.contextmanager
def _static_server(directory: Path) -> Iterator[str]:
    """python's http.server on loopback, serving the naive page."""
    port = _free_port()
    command = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(directory)]
    base = f"http://127.0.0.1:{port}"
    with _serving(command, dict(os.environ), f"{base}/"):
        yield base


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def _report(ours: list[Run], naive: list[Run], html_bytes: int, naive_timeout: float, verbose: bool) -> None:
    ok = [r for r in ours if r.first_hazard_ms is not None]
    naive_ok = [r for r in naive if r.first_hazard_ms is not None]
    ours_ms = _median([r.first_hazard_ms or 0 for r in ok])
    ours_first = _median([float(r.bytes_first) for r in ok])
    ours_idle = _median([float(r.bytes_idle) for r in ok])
    ours_idle_ms = _median([r.idle_ms or 0 for r in ok])
    naive_ms = _median([r.first_hazard_ms or 0 for r in naive_ok])
    naive_bytes = _median([float(r.bytes_idle) for r in naive_ok])

    def ms(value: float | None) -> str:
        return "n/a" if value is None else f"{value:8.0f} ms"

    def mb(value: float | None) -> str:
        return "n/a" if value is None else f"{value / 1e6:6.2f} MB"

    print(f"\nload average (2 shared cores, other work included): {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"ours  ({len(ok)}/{len(ours)} runs):  first hazard {ms(ours_ms)}   runs {_list(ok)}")
    idle_at = ms(ours_idle_ms).strip()
    print(f"      bytes until first hazard {mb(ours_first)}, until network idle {mb(ours_idle)} (idle at {idle_at})")
    basemap = _median([float(sum(x.bytes for x in r.responses if "/tiles/basemap/" in x.url)) for r in ok])
    print(f"      of which the offline base map {mb(basemap)} (its tiles, counted in the figures above)")
    print(f"naive ({len(naive_ok)}/{len(naive)} runs):  first hazard {ms(naive_ms)}   runs {_list(naive)}")
    print(f"      bytes {mb(naive_bytes)}; the page's HTML alone is {html_bytes / 1e6:.2f} MB")
    if naive_ms is not None and ours_ms is not None:
        print(f"ratio ours/naive: time {ours_ms / naive_ms:.3f} (naive {naive_ms / ours_ms:.1f}× slower)"
              + (f", bytes {ours_idle / naive_bytes:.4f}" if ours_idle and naive_bytes else ""))  # fmt: skip
    elif ours_ms is not None:
        print(f"ratio ours/naive: time < {ours_ms / (naive_timeout * 1000):.3f} (every naive run timed out)")
    print()
    bound = naive_ms if naive_ms is not None else (naive_timeout * 1000 if naive and not naive_ok else None)
    print(_target("first render ≤ 1.5 s", ours_ms is not None and ours_ms <= TARGET_MS, ms(ours_ms)))
    print(_target("≤ 1.5 MB transferred (to network idle)", ours_idle is not None and ours_idle <= TARGET_BYTES,
                  mb(ours_idle)))  # fmt: skip
    if bound is None:
        print("  n/a   ≤ 1/4 of the naive render time: no naive run")
    else:
        ratio_ok = ours_ms is not None and ours_ms <= TARGET_RATIO * bound
        print(_target("≤ 1/4 of the naive render time", ratio_ok, f"{(ours_ms or 0) / bound:.3f}"))
    _details(ours, naive, verbose)


def _list(runs: list[Run]) -> str:
    return ", ".join("timeout" if r.first_hazard_ms is None else f"{r.first_hazard_ms:.0f}" for r in runs)


def _target(what: str, met: bool, value: str) -> str:
    return f"  {'MET ' if met else 'MISS'}  {what}: {value.strip()}"


def _details(ours: list[Run], naive: list[Run], verbose: bool) -> None:
    """What the dashboard engineer needs: where the bytes go, views, errors, off-host requests."""
    ok = [r for r in ours if r.first_hazard_ms is not None]
    if ok:
        run = sorted(ok, key=lambda r: r.first_hazard_ms or 0)[len(ok) // 2]
        by_kind: dict[str, list[int]] = {}
        for r in run.responses:
            path = urlparse(r.url).path
            group = "tiles " + path.split("/")[2] if path.startswith("/tiles/") else r.kind
            by_kind.setdefault(group, []).append(r.bytes)
        print("\nours, median run, bytes to network idle by kind:")
        for group, sizes in sorted(by_kind.items(), key=lambda kv: -sum(kv[1])):
            print(f"  {group:28s} {len(sizes):4d} requests  {sum(sizes) / 1e3:9.1f} kB")
        print("  largest responses:")
        for r in sorted(run.responses, key=lambda r: -r.bytes)[:8]:
            print(f"    {r.bytes / 1e3:9.1f} kB  {r.status}  {urlparse(r.url).path}")
        print(f"  first hazard detected at {run.detected_ms:.0f} ms, painted at {run.first_hazard_ms:.0f} ms")
        for label, when in _milestones(run):
            print(f"  {label:44s} {when:6.0f} ms")
        print(f"  view: {ok[0].view}")
        if verbose and run.page_origin is not None:
            print("  every request (sent ms, finished ms, bytes; 0 B = served from the same page's earlier fetch):")
            for r in sorted(run.responses, key=lambda r: r.sent):
                end = "   -" if r.finished is None else f"{run.page_origin(r.finished):6.0f}"
                print(f"    {run.page_origin(r.sent):6.0f} {end} {r.bytes:9d} {r.status} /{r.url.split('/', 3)[-1]}")
    naive_ok = [r for r in naive if r.first_hazard_ms is not None]
    if naive_ok:
        print(f"naive view: {naive_ok[0].view}; first path detected at "
              f"{_list_detected(naive_ok)} ms (painted only after every area was added)")  # fmt: skip
    for name, runs in (("ours", ours), ("naive", naive)):
        off_host = sorted({u for r in runs for u in r.off_host})
        errors = sorted({e for r in runs for e in r.errors})
        print(f"{name}: {len(off_host)} off-host request(s) refused{': ' + ', '.join(off_host) if off_host else ''}; "
              f"{len(errors)} JS error(s){': ' + ' | '.join(errors[:5]) if errors else ''}")  # fmt: skip


def _milestones(run: Run) -> list[tuple[str, float]]:
    """When the page's main requests went out and came back, on the same clock as the first hazard."""
    if not run.responses or run.page_origin is None:
        return []
    to_ms = run.page_origin
    out: list[tuple[str, float]] = []
    document = run.responses[0]
    if document.finished is not None:
        out.append(("document received", to_ms(document.finished)))
    tiles = [r for r in run.responses if "/tiles/hazardous-areas/" in r.url]
    if tiles:
        out.append(("first hazard tile requested", to_ms(min(r.sent for r in tiles))))
        done = [r.finished for r in tiles if r.finished is not None]
        if done:
            out.append(("first hazard tile received", to_ms(min(done))))
            out.append(("last hazard tile received", to_ms(max(done))))
    return out


def _list_detected(runs: list[Run]) -> str:
    return ", ".join(f"{r.detected_ms:.0f}" for r in runs if r.detected_ms is not None)


if __name__ == "__main__":
    main()
