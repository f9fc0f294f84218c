"""User accounts: created by an admin (or `mais create-admin` on a new install), deactivated, never deleted."""

from __future__ import annotations

import logging
import re
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.db.models import ApiToken, Donor, LoginSession, Organisation, User
from app.domain.access import DONOR, Actor, require
from app.domain.errors import Conflict, Invalid, NotFound
from app.services.accounts.passwords import hash_password
from app.services.records import require_live, require_version, touch, version_of

log = logging.getLogger(__name__)
# As the database's check: lower case (names are compared so), no spaces, nothing a log line could be forged with.
USERNAME = re.compile(r"[a-z0-9][a-z0-9._@-]{1,63}")


def actor_of(user: User) -> Actor:
    """The user as the one acting: what services check and the audit trail records."""
    return Actor(
        name=user.username,
        role=user.role,
        user_id=user.id,
        organisation_id=user.organisation_id,
        donor_id=user.donor_id,
    )


def create_user(
    session: Session,
    *,
    username: str,
    role: str,
    organisation_id: int,
    actor: Actor,
    password: str | None = None,
    full_name: str | None = None,
    donor_id: int | None = None,
) -> User:
    """A new account; 409 if the name is taken, 422 if the role needs a donor it lacks (or has one it must not)."""
    require(actor, "user.manage")
    name = username.strip().lower()
    if not USERNAME.fullmatch(name):
        raise Invalid(
            "a username has 2 to 64 letters, digits or . _ @ - and starts with a letter or digit", field="username"
        )
    if session.scalar(select(User.id).where(User.username == name)) is not None:
        raise Conflict(f"a user named {name!r} already exists", field="username")
    require_live(session.get(Organisation, organisation_id), f"organisation {organisation_id}")
    _check_donor_link(role, donor_id)
    if donor_id is not None:
        require_live(session.get(Donor, donor_id), f"donor {donor_id}")
    user = User(
        username=name,
        full_name=full_name,
        role=role,
        organisation_id=organisation_id,
        donor_id=donor_id,
        password_hash=hash_password(password) if password is not None else None,
        created_by=actor.name,
        updated_by=actor.name,
    )
    session.add(user)
    session.flush()
    log.info("user %s created as %s of organisation %s by %s", name, role, organisation_id, actor.name)
    return user


def get_user(session: Session, user_id: int, *, actor: Actor) -> User:
    """One account, active or not (admins)."""
    require(actor, "user.manage")
    return account(session, user_id)


def account(session: Session, user_id: int) -> User:
    """One account, active or not: the caller's own, or one an admin asked for."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"user {user_id} does not exist")
    return user


def find_user(session: Session, username: str) -> User | None:
    """The account of a username (names are kept in lower case)."""
    return session.scalar(select(User).where(User.username == username.strip().lower()))


def list_users(session: Session, *, actor: Actor) -> list[User]:
    """Every account, in name order (admins only)."""
    require(actor, "user.manage")
    return list(session.scalars(select(User).order_by(User.username)))


def update_user(session: Session, user_id: int, changes: dict[str, Any], *, actor: Actor, if_match: str) -> User:
    """Change role, organisation, donor, name, password or active; deactivating ends sessions and tokens."""
    require(actor, "user.manage")
    user = session.scalar(select(User).where(User.id == user_id).with_for_update())
    if user is None:
        raise NotFound(f"user {user_id} does not exist")
    require_version(version_of(user.id, user.updated_at), if_match)
    cleared = [
        key for key in ("role", "organisation_id", "active", "password") if key in changes and changes[key] is None
    ]
    if cleared:
        raise Invalid(f"{cleared[0]} cannot be removed", field=cleared[0])
    if "organisation_id" in changes:
        require_live(
            session.get(Organisation, changes["organisation_id"]), f"organisation {changes['organisation_id']}"
        )
    if changes.get("donor_id") is not None:
        require_live(session.get(Donor, changes["donor_id"]), f"donor {changes['donor_id']}")
    password = changes.pop("password", None)
    for key, value in changes.items():
        setattr(user, key, value)
    if password is not None:
        user.password_hash = hash_password(password)
    _check_donor_link(user.role, user.donor_id)
    if user.id == actor.user_id and (user.role != "admin" or not user.active):
        raise Conflict("you cannot take away your own admin rights: ask another admin", field="role")
    if not user.active or password is not None:
        end_access(session, user.id, tokens=not user.active, by=actor.name)
    touch(user, actor.name)
    session.flush()
    log.info(
        "user %s changed by %s: %s", user.username, actor.name, sorted([*changes, *(["password"] if password else [])])
    )
    return user


def end_access(session: Session, user_id: int, *, tokens: bool, by: str) -> None:
    """End the user's browser sessions (and revoke its tokens): after a password change or a deactivation."""
    session.execute(
        update(LoginSession)
        .where(LoginSession.user_id == user_id, LoginSession.ended_at.is_(None))
        .values(ended_at=func.now())
    )
    if tokens:
        for token in session.scalars(
            select(ApiToken).where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
        ):
            token.revoked_at = func.now()
            token.revoked_by = by


def _check_donor_link(role: str, donor_id: int | None) -> None:
    """As the database's check: a donor officer names its donor, and no other role names one (422, not a 409)."""
    if (role == DONOR) != (donor_id is not None):
        raise Invalid(
            "a donor officer names the donor whose funding it reads (donor_id); no other role does", field="donor_id"
        )
