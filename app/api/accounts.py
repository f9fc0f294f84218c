"""`/api/v1/me`, `/api/v1/tokens`, `/api/v1/users`: who you are, your scripts' tokens, and (admins) accounts."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from app.api.access import Caller
from app.api.deps import SessionDep, SettingsDep
from app.api.etags import IfMatch, tagged
from app.schemas.account import TokenCreate, TokenIssued, TokenPublic, UserCreate, UserPublic, UserUpdate
from app.services.accounts import tokens, users

router = APIRouter(prefix="/api/v1", tags=["accounts"])
ERRORS: dict[int | str, dict[str, Any]] = {
    403: {"description": "Your role does not allow this"},
    404: {"description": "No such user or token"},
    409: {"description": "The username is taken, or you would lock yourself out"},
    422: {"description": "Invalid attributes; the body says what and how to fix it"},
}


def _public(user: Any) -> UserPublic:
    # Attribute by attribute: columns the database filled (created_at, active) load on access.
    fields = {name: getattr(user, name) for name in UserPublic.model_fields if name != "has_password"}
    return UserPublic.model_validate({**fields, "has_password": user.password_hash is not None})


@router.get("/me", response_model=UserPublic | dict[str, Any])
def me(session: SessionDep, actor: Caller) -> Any:
    """The account making this request, with its role and organisation."""
    return _public(users.account(session, actor.user_id)) if actor.user_id else {"username": actor.name}


@router.get("/tokens", response_model=list[TokenPublic])
def list_tokens(session: SessionDep, actor: Caller) -> list[TokenPublic]:
    """Your API tokens (an admin: everyone's), newest first, without their secrets."""
    return [TokenPublic.model_validate(t) for t in tokens.list_tokens(session, actor=actor)]


@router.post("/tokens", status_code=201, response_model=TokenIssued, responses=ERRORS)
def issue_token(body: TokenCreate, session: SessionDep, settings: SettingsDep, actor: Caller) -> TokenIssued:
    """A new token for your scripts; the secret is in this answer only: keep it like a password."""
    user = users.account(session, actor.user_id or 0)
    issued = tokens.issue_token(
        session,
        user=user,
        name=body.name,
        days=body.days or settings.token_days,
        max_days=settings.token_days_max,
        actor=actor,
    )
    return TokenIssued.model_validate(
        {**TokenPublic.model_validate(issued.record).model_dump(), "token": issued.secret}
    )


@router.post(
    "/tokens/{token_id}/revoke",
    response_model=TokenPublic,
    responses={**ERRORS, 410: {"description": "Already revoked"}},
)
def revoke_token(token_id: int, session: SessionDep, actor: Caller) -> TokenPublic:
    """Revoke a token at once: scripts using it get 401 from their next request."""
    return TokenPublic.model_validate(tokens.revoke_token(session, token_id, actor=actor))


@router.get("/users", response_model=list[UserPublic], responses=ERRORS)
def list_users(session: SessionDep, actor: Caller) -> list[UserPublic]:
    """Every account (admins)."""
    return [_public(u) for u in users.list_users(session, actor=actor)]


@router.post("/users", status_code=201, response_model=UserPublic, responses=ERRORS)
def create_user(body: UserCreate, session: SessionDep, actor: Caller) -> UserPublic:
    """Open an account in an organisation with a role (admins); a donor officer names its donor."""
    user = users.create_user(session, actor=actor, **body.model_dump())
    return _public(user)


@router.get("/users/{user_id}", response_model=UserPublic, responses=ERRORS)
def get_user(user_id: int, session: SessionDep, actor: Caller, response: Response) -> UserPublic:
    """One account (admins); its `ETag` is what a change sends in If-Match."""
    user = users.get_user(session, user_id, actor=actor)
    tagged(response, user.id, user.updated_at)
    return _public(user)


@router.patch(
    "/users/{user_id}", response_model=UserPublic, responses={**ERRORS, 412: {"description": "Changed since read"}}
)
def update_user(
    user_id: int, body: UserUpdate, session: SessionDep, actor: Caller, if_match: IfMatch, response: Response
) -> UserPublic:
    """Change an account's role, organisation, password or active flag (admins; 412 if it changed since you read it)."""
    user = users.update_user(session, user_id, body.model_dump(exclude_unset=True), actor=actor, if_match=if_match)
    tagged(response, user.id, user.updated_at)
    return _public(user)
