"""API tokens for scripts: shown once at creation, stored as a digest, expiring, revocable."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db.models import ApiToken, User
from app.domain import clock
from app.domain.access import Actor, allowed, require
from app.domain.errors import Gone, Invalid, NotFound
from app.services.accounts.credentials import TOKEN_PREFIX, digest, new_secret
from app.services.accounts.users import actor_of

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class IssuedToken:
    """A new token: `secret` exists only in this answer."""

    record: ApiToken
    secret: str


def issue_token(session: Session, *, user: User, name: str, days: int, max_days: int, actor: Actor) -> IssuedToken:
    """A new token for `user` (oneself, or anyone for an admin), valid for `days` (at most `max_days`)."""
    require(actor, "account.own")
    if user.id != actor.user_id:
        require(actor, "user.manage")
    if not 1 <= days <= max_days:
        raise Invalid(f"a token lives between 1 and {max_days} days", field="days")
    if not user.active:
        raise Invalid(f"user {user.username} is deactivated", field="user")
    secret = new_secret(TOKEN_PREFIX)
    token = ApiToken(
        user_id=user.id,
        name=name,
        prefix=secret[: len(TOKEN_PREFIX) + 6],
        token_hash=digest(secret),
        expires_at=clock.now() + timedelta(days=days),
        created_by=actor.name,
    )
    session.add(token)
    session.flush()
    log.info(
        "token %s (%s) issued for %s by %s, expires %s",
        token.id,
        token.prefix,
        user.username,
        actor.name,
        f"{token.expires_at:%Y-%m-%d}",
    )
    return IssuedToken(token, secret)


def list_tokens(session: Session, *, actor: Actor) -> list[ApiToken]:
    """One's own tokens (an admin: everyone's), newest first, without their secrets."""
    require(actor, "account.own")
    query = select(ApiToken).order_by(ApiToken.id.desc())
    if not allowed(actor, "user.manage"):
        query = query.where(ApiToken.user_id == actor.user_id)
    return list(session.scalars(query))


def revoke_token(session: Session, token_id: int, *, actor: Actor) -> ApiToken:
    """Revoke one's own token (an admin: anyone's); 410 if it already was."""
    require(actor, "account.own")
    token = session.scalar(select(ApiToken).where(ApiToken.id == token_id).with_for_update())
    if token is None or (token.user_id != actor.user_id and not allowed(actor, "user.manage")):
        raise NotFound(f"token {token_id} does not exist")
    if token.revoked_at is not None:
        raise Gone(f"token {token_id} was revoked on {token.revoked_at:%Y-%m-%d %H:%M} UTC by {token.revoked_by}")
    token.revoked_at = func.now()
    token.revoked_by = actor.name
    session.flush()
    log.info("token %s (%s) revoked by %s", token.id, token.prefix, actor.name)
    return token


def actor_for_token(session: Session, secret: str, *, at: datetime) -> Actor | None:
    """The active user a live token belongs to, or None (unknown, revoked, expired, user deactivated)."""
    row = session.execute(
        select(User)
        .join(ApiToken, ApiToken.user_id == User.id)
        .where(
            ApiToken.token_hash == digest(secret),
            ApiToken.revoked_at.is_(None),
            ApiToken.expires_at > at,
            User.active,
        )
    ).scalar_one_or_none()
    return actor_of(row) if row is not None else None
