"""Browser logins: a random session id in an HttpOnly cookie, its digest and a CSRF token in the database."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.db.models import LoginSession, User
from app.domain import clock
from app.domain.access import Actor
from app.services.accounts import throttle
from app.services.accounts.credentials import digest, new_secret
from app.services.accounts.passwords import hash_password, needs_rehash, verify_password
from app.services.accounts.throttle import LoginThrottled, password_check
from app.services.accounts.users import USERNAME, actor_of, find_user

__all__ = ["Login", "LoginThrottled", "actor_for_session", "log_in", "log_out"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Login:
    """A logged-in browser: the cookie's value and the token its page sends with changes."""

    session_id: str
    csrf_token: str
    actor: Actor


def log_in(session: Session, username: str, password: str, *, hours: int) -> Login | None:
    """A new session for a right username and password of an active user; None otherwise (same time either way)."""
    name = username.strip().lower()
    with password_check(name):
        user = find_user(session, name)
        right = verify_password(user.password_hash if user else None, password)
    if not right or user is None or not user.active:
        throttle.failed(name)
        # Only what looks like a username is logged: a password typed in the wrong field is not.
        log.warning("failed login for %s", repr(name) if USERNAME.fullmatch(name) else "(not a username)")
        return None
    throttle.succeeded(name)
    if user.password_hash and needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = func.now()
    session_id, csrf = new_secret(), new_secret()
    session.add(
        LoginSession(
            user_id=user.id,
            session_hash=digest(session_id),
            csrf_token=csrf,
            expires_at=clock.now() + timedelta(hours=hours),
        )
    )
    session.flush()
    log.info("%s logged in (%s)", user.username, user.role)
    return Login(session_id, csrf, actor_of(user))


def actor_for_session(session: Session, session_id: str, *, at: datetime) -> tuple[Actor, str] | None:
    """The active user of a live session and the session's CSRF token, or None."""
    row = session.execute(
        select(User, LoginSession.csrf_token)
        .join(LoginSession, LoginSession.user_id == User.id)
        .where(
            LoginSession.session_hash == digest(session_id),
            LoginSession.ended_at.is_(None),
            LoginSession.expires_at > at,
            User.active,
        )
    ).one_or_none()
    return (actor_of(row[0]), row[1]) if row is not None else None


def log_out(session: Session, session_id: str) -> None:
    """End the session: the cookie, even if kept or copied, opens nothing any more."""
    session.execute(
        update(LoginSession)
        .where(LoginSession.session_hash == digest(session_id), LoginSession.ended_at.is_(None))
        .values(ended_at=func.now())
    )
