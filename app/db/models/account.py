"""People who use the system, the API tokens their scripts use, and their logged-in browser sessions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, CheckConstraint, DateTime, ForeignKey, Identity, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from app.db.models.base import Base, Created, Recorded
from app.domain.access import DONOR, ROLES
from app.domain.vocabulary import check_in


class User(Recorded, Base):
    """A person with a role in one organisation (docs/permissions.md); never deleted, deactivated."""

    __tablename__ = "app_user"
    __table_args__ = (
        CheckConstraint(check_in("role", ROLES), name="role"),
        # A donor officer reads what one donor funds; nobody else is tied to a donor.
        CheckConstraint(f"({check_in('role', (DONOR,))}) = (donor_id IS NOT NULL)", name="donor_role_has_donor"),
        CheckConstraint("username = lower(username) AND username ~ '^[a-z0-9][a-z0-9._@-]{1,63}$'", name="username"),
    )
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    username: Mapped[str] = mapped_column(Text, unique=True)
    full_name: Mapped[str | None] = mapped_column(Text)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    role: Mapped[str] = mapped_column(Text)
    donor_id: Mapped[int | None] = mapped_column(ForeignKey("donor.id"))
    # argon2id (app/services/accounts/passwords.py); none for an account that only scripts use, by token.
    password_hash: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, server_default="true")
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ApiToken(Created, Base):
    """A token a script sends as `Authorization: Bearer …`: shown once, stored as its SHA-256, expiring, revocable."""

    __tablename__ = "api_token"
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    name: Mapped[str] = mapped_column(Text)
    # The first characters of the token, so that a user can tell which one leaked or to revoke.
    prefix: Mapped[str] = mapped_column(Text)
    token_hash: Mapped[str] = mapped_column(Text, unique=True)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_by: Mapped[str | None] = mapped_column(Text)


class LoginSession(Base):
    """A browser's login: the cookie holds a random id, the table its SHA-256; logging out ends it."""

    __tablename__ = "login_session"
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    session_hash: Mapped[str] = mapped_column(Text, unique=True)
    # Sent back by the page with every change (X-CSRF-Token), which another site cannot read.
    csrf_token: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
