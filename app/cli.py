"""Command line: serve, migrate, seed, accounts, load-settlements, load-context, priorities, report, iati (README)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer
from rich.console import Console

from app import cli_accounts
from app.config import get_settings
from app.domain.errors import AppError
from app.logging import configure_logging
from app.reporting.filter import DEFAULT_DISTANCE_M

cli = typer.Typer(help="Mine action information system.", no_args_is_help=True, add_completion=False)
console = Console()
cli.command("create-admin")(cli_accounts.create_admin)
cli.command("create-user")(cli_accounts.create_user)
cli.command("create-token")(cli_accounts.create_token)
cli.command("demo-users")(cli_accounts.demo_users)


@cli.callback()
def _configure() -> None:
    """Log as the server does (key=value lines on stderr, MAIS_LOG_LEVEL); results go to the console."""
    configure_logging(get_settings().log_level)


@cli.command()
def migrate(revision: str = typer.Argument("head", help="Target revision")) -> None:
    """Bring the database schema to REVISION (default: the latest); at the latest, add the default scenarios if none."""
    from app.db.migrations import upgrade

    upgrade(revision=revision)
    console.print(f"[green]database schema at {revision}[/]")
    if revision == "head" and get_settings().default_scenarios:
        _default_scenarios()


def _default_scenarios() -> None:
    """A new install ranks without the demo: the default priority scenarios, filed as this command."""
    import getpass

    from app.db.audit import audit_session
    from app.db.session import new_session
    from app.domain.access import Actor
    from app.services.priorities.scenarios import create_default_scenarios

    user = f"cli:{getpass.getuser()}"
    with new_session() as session:
        audit_session(session, actor=Actor.system(user), request="mais migrate")
        created = create_default_scenarios(session, user=user)
        session.commit()
    if created:
        console.print(f"created the default priority scenarios: {', '.join(created)}")


@cli.command()
def seed(
    areas: int = typer.Option(None, help="Number of synthetic hazardous areas (default: MAIS_DEMO_AREAS)"),
    seed: int = typer.Option(None, help="Random seed (default: MAIS_DEMO_SEED)"),
    if_empty: bool = typer.Option(False, "--if-empty", help="Do nothing when hazardous areas exist"),
) -> None:
    """Load the synthetic demo dataset (clearly labelled, on real hromada centres)."""
    from app.db.session import new_session
    from app.demo.seed import count_areas, load_demo

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
    from app.services.priorities.context import load_settlements as load

    with new_session() as session, console.status("loading hromada centres…"):
        try:
            new = load(session, user=user)
        except (ValueError, AppError) as error:
            raise _refused(error) from error
        session.commit()
    console.print(f"[green]loaded {new:,} new settlements[/] (codes already present were skipped)")
    _rescore(user)


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
    from app.services.priorities.context import check_layer, load_features
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
    _rescore(user)
    console.print(f"dropped {read.dropped_empty:,} without geometry; repaired {read.repaired:,} invalid geometries")
    if read.reprojected_from:
        console.print(f"reprojected from {read.reprojected_from} to WGS 84 (EPSG:4326)")


@cli.command("load-boundaries")
def load_boundaries(
    path: str | None = typer.Argument(None, help="GeoJSON (.gz too), GeoPackage, zipped Shapefile, KML or KMZ"),
    ukraine: bool = typer.Option(False, "--ukraine", help="Ukraine's shipped oblasts, raions and hromadas"),
    country: str | None = typer.Option(None, help="ISO 3166-1 alpha-2 code of the country, e.g. XK"),
    level: int | None = typer.Option(None, help="1 oblast / province, 2 raion / district, 3 hromada / commune"),
    code_field: str | None = typer.Option(None, "--code-field", help="Field holding the code records carry"),
    name_field: str | None = typer.Option(None, "--name-field", help="Field holding the name"),
    name_en_field: str | None = typer.Option(None, "--name-en-field", help="Field holding the English name"),
    parent_field: str | None = typer.Option(None, "--parent-field", help="Field holding the parent unit's code"),
    layer_name: str | None = typer.Option(None, "--layer-name", help="Layer to read from a multi-layer file"),
    source: str | None = typer.Option(None, help="Source recorded on every unit (default: the file name)"),
    user: str = typer.Option("cli", help="Name recorded as the loader"),
) -> None:
    """Load admin boundaries (one level of a country from a file, or --ukraine); areas without codes get them."""
    from app.db.session import new_session
    from app.services.registry.admin_units import load_boundary_file, load_ukraine
    from gis.boundaries import BoundaryFields

    options = {"--country": country, "--level": level, "--code-field": code_field, "--name-field": name_field}
    with new_session() as session, console.status("loading admin boundaries…"):
        try:
            if ukraine == (path is not None):
                raise ValueError("give a boundary FILE, or --ukraine for Ukraine's shipped boundaries")
            if path is not None and (missing := [flag for flag, value in options.items() if value is None]):
                raise ValueError(f"give {', '.join(missing)} with a boundary file")
            if path is None:
                loaded = load_ukraine(session, user=user)
            else:
                fields = BoundaryFields(str(code_field), str(name_field), name_en_field, parent_field)
                loaded = [
                    load_boundary_file(
                        session,
                        path,
                        fields,
                        country=str(country),
                        level=int(level or 0),
                        layer=layer_name,
                        source=source,
                        user=user,
                    )
                ]
            session.commit()
        except (ValueError, AppError) as error:
            raise _refused(error) from error
    for done in loaded:
        console.print(
            f"[green]{done.country} level {done.level}: {done.added:,} units added, {done.updated:,} updated[/]; "
            f"{done.areas_coded:,} areas got a code at this level"
        )
        if done.absent:
            console.print(f"{done.absent:,} units of this level loaded before are not in the file: kept")
        if done.reprojected_from:
            console.print(f"reprojected from {done.reprojected_from} to WGS 84 (EPSG:4326)")
        if done.repaired:
            console.print(f"repaired {done.repaired:,} invalid polygons")


@cli.command("import")
def import_file(
    path: str = typer.Argument(..., help="GeoJSON, GeoPackage, zipped Shapefile, KML/KMZ, CSV or XLSX (Kobo/ODK too)"),
    kind: str = typer.Option(..., help="hazardous_areas, releases, activities, devices_found or accidents"),
    source: str = typer.Option(..., help="The system or dataset the file comes from, e.g. 'IMSMA export 2024'"),
    mapping: str | None = typer.Option(None, help="Field mapping as JSON, or the path of a .json file holding it"),
    mapping_name: str | None = typer.Option(None, "--mapping-name", help="A mapping saved under this name"),
    layer_name: str | None = typer.Option(None, "--layer-name", help="Layer to read (default: every layer)"),
    dry_run: bool = typer.Option(False, "--dry-run", help="Only report what would be done; write nothing"),
    skip_refused: bool = typer.Option(False, "--skip-refused", help="Write the good rows even if some are refused"),
    report_path: str | None = typer.Option(None, "--report", help="Write the row-by-row report to this CSV file"),
    user: str = typer.Option("cli", help="Name recorded as the importer"),
) -> None:
    """Import a file (all or nothing unless --skip-refused); the job shows in GET /api/v1/imports as it runs."""
    from pathlib import Path

    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from app.db.session import new_session
    from app.domain.access import Actor
    from app.services.importing import jobs
    from app.services.importing.mappings import mapping_argument
    from app.services.importing.progress import Tracker
    from app.services.importing.report import report_csv, summary
    from app.services.importing.submission import create_job

    actor, file = Actor.system(user), Path(path)
    with new_session() as session:
        try:
            job = create_job(
                session,
                file,
                kind=kind,
                source=source,
                mapping=mapping_argument(mapping),
                mapping_name=mapping_name,
                layer=layer_name,
                dry_run=dry_run,
                skip_refused=skip_refused,
                actor=actor,
            )
        except (ValueError, AppError) as error:
            raise _refused(error) from error
        session.commit()  # the job shows in GET /api/v1/imports while it runs
    shown = ", ".join(f"{m.get('column', m)!r} → {name}" for name, m in (job.mapping or {}).items())
    console.print(f"import {job.id}, mapping: {shown}", highlight=False, soft_wrap=True)
    columns = (TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed:,}/{task.total:,} rows"))
    with Progress(*columns, TimeElapsedColumn(), console=console) as progress:
        task = progress.add_task(f"{'checking' if dry_run else 'importing'} {file.name}", total=job.rows_total)
        tracker = Tracker(job.id, on_progress=lambda done, total: progress.update(task, completed=done, total=total))
        jobs.run_job(job.id, file, actor=actor, layer=layer_name, tracker=tracker)
    with new_session() as session:
        job = jobs.get_job(session, job.id)
        for line in summary(session, job):
            console.print(line, highlight=False, soft_wrap=True)
        if report_path:
            with open(report_path, "w", encoding="utf-8", newline="") as out:
                out.writelines(report_csv(session, job.id))
            console.print(f"[green]wrote the report to {report_path}[/]")
    if job.status != "done":
        raise typer.Exit(1)


def _rescore(user: str) -> None:
    """Bring priority scores up to date after a load (the API does this after every write)."""
    from app.db.session import new_session
    from app.services.priorities.ranking import refresh

    with new_session() as session, console.status("rescoring the areas the change can touch…"):
        runs = refresh(session, user=user)
        session.commit()
    for run in runs or []:
        console.print(f"rescored {run.areas_scored:,} areas (scenario {run.scenario_id}) in {run.seconds:.2f} s")


@cli.command("priorities")
def recompute_priorities(
    scenario: str = typer.Option(None, help="Scenario name (default: every scenario)"),
    user: str = typer.Option("cli", help="Name recorded on the run"),
) -> None:
    """Recompute priority scores now (a full run) and print the time each scenario took."""
    from app.db.session import new_session
    from app.services.priorities import ranking as priorities
    from app.services.priorities.scenarios import live_scenarios, scenario_named

    with new_session() as session:
        try:
            chosen = [scenario_named(session, scenario)] if scenario else live_scenarios(session)
        except AppError as error:
            raise _refused(error) from error
        for item in chosen:
            with console.status(f"scoring under {item.name!r} v{item.version}…"):
                priorities.lock_scoring(session)
                run = priorities.run(session, item, user=user, reason="requested from the command line")
                session.commit()
            console.print(
                f"{item.name} v{item.version}: {run.areas_scored:,} areas in {run.seconds:.2f} s (run {run.id})"
            )


DAY = "%Y-%m-%d"


@cli.command("report")
def report(
    output: str = typer.Option("donor-report", "--output", "-o", help="File path without extension"),
    formats: Annotated[
        list[str] | None, typer.Option("--format", "-f", help="json, csv (a ZIP of CSVs), xlsx, pdf; repeat")
    ] = None,
    donor_id: int | None = typer.Option(None, help="Work funded by this donor (release → activity → task → agreement)"),
    agreement_id: int | None = typer.Option(None, help="Work funded by this agreement"),
    organisation_id: int | None = typer.Option(None, help="Work of this organisation"),
    oblast_code: str | None = typer.Option(None, help="e.g. UA63"),
    raion_code: str | None = typer.Option(None, help="e.g. UA6312"),
    hromada_code: str | None = typer.Option(None, help="e.g. UA63120270000028556"),
    date_from: Annotated[datetime | None, typer.Option(formats=[DAY], help="First day of the period")] = None,
    date_to: Annotated[datetime | None, typer.Option(formats=[DAY], help="Last day of the period")] = None,
    distance_m: float = typer.Option(
        DEFAULT_DISTANCE_M, help="Count people living within this distance of released land"
    ),
    lang: str = typer.Option("en", "--lang", help="Language of the PDF and XLSX: en or uk"),
) -> None:
    """Write a donor report (same filters and figures as /api/v1/reports/donor) in the chosen formats."""
    from pathlib import Path

    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from app.db.session import new_session
    from app.i18n import LANGUAGES
    from app.reporting.figures import STEPS, build_report
    from app.reporting.filter import ReportFilter
    from app.reporting.formats import FORMATS

    formats = formats or ["pdf"]
    if lang not in LANGUAGES:
        raise _refused(ValueError(f"unknown language {lang!r}; choose from {', '.join(LANGUAGES)}"))
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise _refused(ValueError(f"unknown format(s) {', '.join(unknown)}; choose from {', '.join(FORMATS)}"))
    try:
        flt = ReportFilter(
            donor_id=donor_id,
            agreement_id=agreement_id,
            organisation_id=organisation_id,
            oblast_code=oblast_code,
            raion_code=raion_code,
            hromada_code=hromada_code,
            date_from=date_from.date() if date_from else None,
            date_to=date_to.date() if date_to else None,
            distance_m=distance_m,
        )
    except AppError as error:
        raise _refused(error) from error
    with_map = any(FORMATS[f].needs_map for f in formats)
    columns = (TextColumn("{task.description:<28}"), BarColumn(), TextColumn("{task.completed}/{task.total}"))
    with Progress(*columns, TimeElapsedColumn(), console=console) as progress:
        figures = progress.add_task("reading figures", total=len(STEPS) - (0 if with_map else 1))
        writing = progress.add_task("writing", total=len(formats))

        def step(name: str) -> None:
            progress.update(figures, description=f"reading {name.replace('_', ' ')}", advance=1)

        with new_session() as session:
            try:
                result = build_report(session, flt, with_map=with_map, on_step=step)
            except AppError as error:
                raise _refused(error) from error
        progress.update(figures, description="figures read")
        written = []
        for name in dict.fromkeys(formats):
            fmt = FORMATS[name]
            progress.update(writing, description=f"writing {name}")
            path = Path(f"{output}.{fmt.extension}")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(fmt.render(result, lang))
            written.append(path)
            progress.advance(writing)
        progress.update(writing, description="written")
    for path in written:
        console.print(f"[green]wrote {path}[/] ({path.stat().st_size:,} bytes)")


@cli.command("iati")
def iati(
    output: str = typer.Option("iati-activities.xml", "--output", "-o", help="File to write"),
    donor_id: int | None = typer.Option(None, help="Agreements of this donor"),
    agreement_id: int | None = typer.Option(None, help="This agreement only"),
    organisation_id: int | None = typer.Option(None, help="Agreements of this operator"),
    date_from: Annotated[datetime | None, typer.Option(formats=[DAY], help="First day of the period")] = None,
    date_to: Annotated[datetime | None, typer.Option(formats=[DAY], help="Last day of the period")] = None,
    reporting_org_ref: str | None = typer.Option(None, help="IATI identifier of the publisher, e.g. UA-EDR-12345678"),
    reporting_org_name: str | None = typer.Option(None, help="Name of the publisher"),
    reporting_org_type: str | None = typer.Option(None, help="IATI OrganisationType code (10 government)"),
) -> None:
    """Write an IATI 2.03 activity file, one activity per agreement (the same as /api/v1/reports/iati.xml)."""
    from pathlib import Path

    from app.db.session import new_session
    from app.reporting.filter import ReportFilter
    from app.reporting.iati import ReportingOrg, build_iati

    settings = get_settings()  # the configured publisher (MAIS_IATI_REPORTING_ORG_*), unless named here
    publisher = ReportingOrg(
        ref=reporting_org_ref or settings.iati_reporting_org_ref,
        name=reporting_org_name or settings.iati_reporting_org_name,
        type=reporting_org_type or settings.iati_reporting_org_type,
    )
    try:
        flt = ReportFilter(
            donor_id=donor_id,
            agreement_id=agreement_id,
            organisation_id=organisation_id,
            date_from=date_from.date() if date_from else None,
            date_to=date_to.date() if date_to else None,
        )
        with new_session() as session:
            body = build_iati(session, flt, reporting_org=publisher)
    except AppError as error:
        raise _refused(error) from error
    target = Path(output)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(body)
    console.print(f"[green]wrote {target}[/] ({target.stat().st_size:,} bytes)")


LAYER_HELP = "hazardous_areas (default), releases, tasks, activities, devices_found, accidents; repeat"


@cli.command("export")
def export(
    output: str = typer.Option(..., "--output", "-o", help="Where to write (the format's extension is added)"),
    fmt: str = typer.Option("gpkg", "--format", "-f", help="gpkg, geojson, shp.zip, kml or csv"),
    layers: Annotated[
        list[str] | None,
        typer.Option("--layer", "-l", help=LAYER_HELP),
    ] = None,
    status: Annotated[list[str] | None, typer.Option(help="Areas with this status; repeat")] = None,
    classification: str | None = typer.Option(None, help="SHA or CHA"),
    oblast_code: str | None = typer.Option(None, help="e.g. UA63"),
    raion_code: str | None = typer.Option(None, help="e.g. UA6312"),
    hromada_code: str | None = typer.Option(None, help="e.g. UA63120270000028556"),
    organisation_id: int | None = typer.Option(None, help="Areas this operator reported or has a task on"),
) -> None:
    """Write the registry's layers to a file for GIS tools and partners (the same as /api/v1/exports)."""
    import shutil
    import tempfile
    from pathlib import Path

    from app.api.params import comma_list
    from app.db.session import new_session
    from app.domain.access import Actor
    from app.domain.vocabulary import AREA_STATUSES, CLASSIFICATIONS
    from app.services.area_filter import AreaFilter
    from app.services.exporting import check_request, write_export

    try:
        chosen_format, chosen = check_request(fmt, layers or ["hazardous_areas"], Actor.system("cli"))
        flt = AreaFilter(
            status=comma_list("status", status, AREA_STATUSES),
            classification=comma_list("classification", [classification] if classification else [], CLASSIFICATIONS),
            oblast_code=oblast_code,
            raion_code=raion_code,
            hromada_code=hromada_code,
            organisation_id=organisation_id,
        )
    except AppError as error:
        raise _refused(error) from error
    target = Path(output if output.endswith(f".{chosen_format}") else f"{output}.{chosen_format}")
    folder = Path(tempfile.mkdtemp(prefix="mais-export-"))
    try:
        with new_session() as session, console.status(f"writing {target} …"):
            written = write_export(session, folder, chosen_format, chosen, flt)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(written.path, target)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    counts = ", ".join(f"{n:,} {name.replace('_', ' ')}" for name, n in written.counts.items())
    console.print(f"[green]wrote {target}[/] ({target.stat().st_size:,} bytes): {counts}")


if __name__ == "__main__":
    cli()
