"""Command line: serve, migrate, seed, load-settlements, load-context, priorities (the README lists them)."""

from __future__ import annotations

import typer
from rich.console import Console

from app.config import get_settings
from app.errors import AppError

cli = typer.Typer(help="Mine action information system.", no_args_is_help=True, add_completion=False)
console = Console()


@cli.command()
def migrate(revision: str = typer.Argument("head", help="Target revision")) -> None:
    """Bring the database schema to REVISION (default: the latest)."""
    from app.db.migrations import upgrade

    upgrade(revision=revision)
    console.print(f"[green]database schema at {revision}[/]")


@cli.command()
def seed(
    areas: int = typer.Option(None, help="Number of synthetic hazardous areas (default: MAIS_DEMO_AREAS)"),
    seed: int = typer.Option(None, help="Random seed (default: MAIS_DEMO_SEED)"),
    if_empty: bool = typer.Option(False, "--if-empty", help="Do nothing when hazardous areas exist"),
) -> None:
    """Load the synthetic demo dataset (clearly labelled, on real hromada centres)."""
    from app.db.session import new_session
    from app.services.demo import count_areas, load_demo

    settings = get_settings()
    with new_session() as session:
        if if_empty and (existing := count_areas(session)):
            console.print(f"database holds {existing:,} hazardous areas: demo data not loaded")
            return
        with console.status("generating and loading synthetic demo data…"):
            try:
                loaded = load_demo(
                    session,
                    areas=settings.demo_areas if areas is None else areas,
                    seed=settings.demo_seed if seed is None else seed,
                )
            except AppError as error:
                console.print(f"[red]{error.detail}[/]")
                raise typer.Exit(1) from error
    console.print(f"[green]loaded {loaded:,} synthetic hazardous areas[/]")


@cli.command()
def serve(
    host: str = typer.Option(None, help="Interface (default: MAIS_HOST, 127.0.0.1)"),
    port: int = typer.Option(None, help="Port (default: MAIS_PORT, 8000)"),
) -> None:
    """Serve the API and the map."""
    import uvicorn

    settings = get_settings()
    host = host or settings.host
    port = port or settings.port
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    console.print(f"map:      [bold]http://{shown}:{port}/map[/]")
    console.print(f"API docs: [bold]http://{shown}:{port}/docs[/]")
    uvicorn.run("app.main:app", host=host, port=port, proxy_headers=True)


def _refused(error: ValueError | AppError) -> typer.Exit:
    """Print why a command was refused (no traceback); the caller raises the returned exit status 1."""
    console.print(f"[red]{error.detail if isinstance(error, AppError) else error}[/]")
    return typer.Exit(1)


@cli.command("load-settlements")
def load_settlements(user: str = typer.Option("cli", help="Name recorded as the loader")) -> None:
    """Load the 1,469 hromada centres with 2022 population (real data; codes already present are skipped)."""
    from app.db.session import new_session
    from app.services.context import load_settlements as load

    with new_session() as session, console.status("loading hromada centres…"):
        try:
            new = load(session, user=user)
        except (ValueError, AppError) as error:
            raise _refused(error) from error
        session.commit()
    console.print(f"[green]loaded {new:,} new settlements[/] (codes already present were skipped)")


@cli.command("load-context")
def load_context(
    path: str = typer.Argument(..., help="GeoJSON, GeoPackage, Shapefile or CSV file"),
    layer: str = typer.Option(..., help="Context layer code: road, school, health, water, farmland, …"),
    source: str | None = typer.Option(None, help="Source recorded on every feature (default: the file name)"),
    layer_name: str | None = typer.Option(None, "--layer-name", help="Layer to read from a multi-layer file"),
    lon: str | None = typer.Option(None, help="CSV longitude column (default: lon)"),
    lat: str | None = typer.Option(None, help="CSV latitude column (default: lat)"),
    wkt: str | None = typer.Option(None, help="CSV column of WKT geometries (default: wkt, if no lon/lat)"),
    user: str = typer.Option("cli", help="Name recorded as the loader"),
) -> None:
    """Load a context layer from a file; every live hazardous area is queued for rescoring."""
    from pathlib import Path

    from app.db.session import new_session
    from app.services.context import check_layer, load_features
    from gis.context_io import read_layer

    with new_session() as session:
        try:
            if wkt is not None and (lon is not None or lat is not None):
                raise ValueError("give either --lon and --lat, or --wkt, not both")
            if (lon is None) != (lat is None):
                raise ValueError("give --lon and --lat together")
            check_layer(session, layer)
            with console.status(f"reading {path}…"):
                if wkt is not None:
                    read = read_layer(path, layer=layer_name, lon=None, lat=None, wkt=wkt)
                else:
                    read = read_layer(path, layer=layer_name, lon=lon or "lon", lat=lat or "lat")
            with console.status(f"loading {len(read.frame):,} features into {layer!r}…"):
                loaded = load_features(session, read.frame, layer=layer, source=source or Path(path).name, user=user)
                session.commit()
        except (ValueError, AppError) as error:
            raise _refused(error) from error
    console.print(f"[green]loaded {loaded:,} features into layer {layer!r}[/]")
    console.print(f"dropped {read.dropped_empty:,} without geometry; repaired {read.repaired:,} invalid geometries")
    if read.reprojected_from:
        console.print(f"reprojected from {read.reprojected_from} to WGS 84 (EPSG:4326)")


@cli.command("priorities")
def recompute_priorities(
    scenario: str = typer.Option(None, help="Scenario name (default: every scenario)"),
    user: str = typer.Option("cli", help="Name recorded on the run"),
) -> None:
    """Recompute priority scores now (a full run) and print the time each scenario took."""
    from app.db.session import new_session
    from app.services import priorities
    from app.services.priority_scenarios import live_scenarios, scenario_named

    with new_session() as session:
        try:
            chosen = [scenario_named(session, scenario)] if scenario else live_scenarios(session)
        except AppError as error:
            raise _refused(error) from error
        for item in chosen:
            with console.status(f"scoring under {item.name!r} v{item.version}…"):
                run = priorities.run(session, item, user=user, reason="requested from the command line")
                session.commit()
            console.print(
                f"{item.name} v{item.version}: {run.areas_scored:,} areas in {run.seconds:.2f} s (run {run.id})"
            )


if __name__ == "__main__":
    cli()
