"""Command line: `mais serve | migrate | seed` (the scripts and the README use these)."""

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


if __name__ == "__main__":
    cli()
