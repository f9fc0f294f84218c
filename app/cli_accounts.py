"""Command line for accounts: the first admin of a new install, users, tokens, and the demo's users.

Every change is written to the audit trail as done by `cli:<operating-system user>`.
"""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.config import get_settings
from app.domain.access import ROLES, Actor
from app.domain.errors import AppError

console = Console()
PASSWORD_HELP = "Password (asked for when left out; or set MAIS_NEW_PASSWORD)"


def _actor() -> Actor:
    return Actor.system(f"cli:{getpass.getuser()}")


@contextmanager
def _audited(command: str) -> Iterator[Session]:
    """A session whose changes the audit trail files under this command; committed if the block succeeds."""
    from app.db.audit import audit_session
    from app.db.session import new_session

    with new_session() as session:
        audit_session(session, actor=_actor(), request=f"mais {command}")
        try:
            yield session
        except AppError as error:
            console.print(f"[red]{error.detail}[/]")
            raise typer.Exit(1) from error
        session.commit()


def _organisation(session: Session, name: str, *, kind: str | None) -> int:
    """The id of an organisation named (or with the acronym) `name`; created with `kind` if given and absent."""
    from app.db.models import Organisation

    found = _named(session, Organisation, name)
    if found is not None:
        return found
    if kind is None:
        raise AppError(f"no organisation named {name!r}: create it first (POST /api/v1/organisations)")
    org = Organisation(name=name, kind=kind, created_by=_actor().name, updated_by=_actor().name)
    session.add(org)
    session.flush()
    console.print(f"created organisation {name!r} ({kind})")
    return org.id


def _named(session: Session, model: Any, name: str) -> int | None:
    """The id of the live organisation or donor called `name`, by name or acronym, in any case."""
    query = select(model.id).where(
        model.deleted_at.is_(None),
        (func.lower(model.name) == name.lower()) | (func.lower(model.acronym) == name.lower()),
    )
    found = session.scalar(query)
    return None if found is None else int(found)


def create_admin(
    username: str = typer.Option(..., help="Login name (letters, digits, . _ @ -)"),
    organisation: str = typer.Option(..., help="The national authority or IM office; created if absent"),
    full_name: str = typer.Option(None, help="The person's name"),
    password: str = typer.Option(
        ..., prompt=True, hide_input=True, confirmation_prompt=True, envvar="MAIS_NEW_PASSWORD", help=PASSWORD_HELP
    ),
) -> None:
    """Create an admin: the first account of a new install (then create the others in the API or here)."""
    from app.services.accounts.users import create_user

    with _audited("create-admin") as session:
        org_id = _organisation(session, organisation, kind="national_authority")
        create_user(
            session,
            username=username,
            role="admin",
            organisation_id=org_id,
            password=password,
            full_name=full_name,
            actor=_actor(),
        )
    console.print(f"[green]admin {username.lower()} created[/]: log in at /login")


def create_user(
    username: str = typer.Option(..., help="Login name (letters, digits, . _ @ -)"),
    role: str = typer.Option(..., help=", ".join(ROLES)),
    organisation: str = typer.Option(..., help="Name or acronym of an existing organisation"),
    donor: str = typer.Option(None, help="For the donor role: name or acronym of the donor it reads for"),
    full_name: str = typer.Option(None, help="The person's name"),
    token_only: bool = typer.Option(False, "--token-only", help="No password: an account for scripts"),
    password: str = typer.Option(None, envvar="MAIS_NEW_PASSWORD", help=PASSWORD_HELP),
) -> None:
    """Create a user with a role in an organisation."""
    from app.db.models import Donor
    from app.services.accounts.users import create_user as create

    if role not in ROLES:
        console.print(f"[red]unknown role {role!r}: use one of {', '.join(ROLES)}[/]")
        raise typer.Exit(1)
    if password is None and not token_only:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    with _audited("create-user") as session:
        donor_id = None
        if donor is not None:
            donor_id = _named(session, Donor, donor)
            if donor_id is None:
                raise AppError(f"no donor named {donor!r}")
        create(
            session,
            username=username,
            role=role,
            organisation_id=_organisation(session, organisation, kind=None),
            donor_id=donor_id,
            password=password,
            full_name=full_name,
            actor=_actor(),
        )
    console.print(f"[green]{role} {username.lower()} created[/]")


def create_token(
    username: str = typer.Option(..., help="Whose token"),
    name: str = typer.Option(..., help="What the token is for, e.g. 'nightly QGIS sync'"),
    days: int = typer.Option(None, help="Lifetime in days (default: MAIS_TOKEN_DAYS)"),
) -> None:
    """Issue an API token and print it once (send it as `Authorization: Bearer …`)."""
    from app.services.accounts.tokens import issue_token
    from app.services.accounts.users import find_user

    settings = get_settings()
    with _audited("create-token") as session:
        user = find_user(session, username)
        if user is None:
            raise AppError(f"no user named {username!r}")
        issued = issue_token(
            session,
            user=user,
            name=name,
            days=days or settings.token_days,
            max_days=settings.token_days_max,
            actor=_actor(),
        )
    console.print(f"token for {user.username}, expires {issued.record.expires_at:%Y-%m-%d} (shown once, keep it safe):")
    print(issued.secret)  # plain, so that a script can capture it


def demo_users(
    if_demo: bool = typer.Option(
        False, "--if-demo", help="Do nothing (and succeed) in production or without demo data"
    ),
) -> None:
    """Create the demo's users, one per role, with new passwords, and print them (development only)."""
    from app.demo.accounts import ensure_demo_users

    if get_settings().production:
        console.print("demo users are for development: none made in production")
        raise typer.Exit(0 if if_demo else 1)
    with _audited("demo-users") as session:
        logins = ensure_demo_users(session)
    if logins is None:
        console.print("no demo organisations here (load them with `mais seed`): no demo users made")
        raise typer.Exit(0 if if_demo else 1)
    table = Table(title="Demo users (new passwords each run; log in at /login)")
    for column in ("username", "password", "role", "organisation"):
        table.add_column(column)
    for login in logins:
        table.add_row(login.username, login.password, login.role, login.organisation)
    console.print(table)
