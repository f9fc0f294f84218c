"""Accounts and API tokens as the API takes and returns them (never a password or a token's hash)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from app.domain.access import Role
from app.schemas.common import StrictModel

USERNAME = r"^[A-Za-z0-9][A-Za-z0-9._@-]{1,63}$"


class UserCreate(StrictModel):
    """A new account; without a password it can only be used through API tokens."""

    username: str = Field(pattern=USERNAME, description="kept in lower case")
    role: Role
    organisation_id: int = Field(ge=1, lt=2**63)
    donor_id: int | None = Field(None, ge=1, lt=2**63, description="required for, and only for, the donor role")
    full_name: str | None = Field(None, max_length=200)
    password: str | None = Field(None, min_length=10, max_length=1024)


class UserUpdate(StrictModel):
    """What an admin may change in an account; deactivating it ends its sessions and revokes its tokens."""

    role: Role | None = None
    organisation_id: int | None = Field(None, ge=1, lt=2**63)
    donor_id: int | None = Field(None, ge=1, lt=2**63)
    full_name: str | None = Field(None, max_length=200)
    password: str | None = Field(None, min_length=10, max_length=1024)
    active: bool | None = None


class UserPublic(BaseModel):
    """An account as the API returns it."""

    model_config = ConfigDict(from_attributes=True)
    id: int
    username: str
    full_name: str | None
    role: str
    organisation_id: int
    donor_id: int | None
    active: bool
    has_password: bool
    last_login_at: datetime | None
    created_at: datetime
    created_by: str


class TokenCreate(StrictModel):
    """A token for a script, named so that you can tell it from the others."""

    name: str = Field(min_length=1, max_length=100)
    days: int | None = Field(None, ge=1, description="lifetime; the server's default (MAIS_TOKEN_DAYS) if left out")


class TokenPublic(BaseModel):
    """A token without its secret."""

    model_config = ConfigDict(from_attributes=True)
    id: int
    user_id: int
    name: str
    prefix: str
    expires_at: datetime
    revoked_at: datetime | None
    revoked_by: str | None
    created_at: datetime
    created_by: str


class TokenIssued(TokenPublic):
    """A new token: `token` is shown this once; send it as `Authorization: Bearer <token>`."""

    token: str
