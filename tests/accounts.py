"""Accounts for tests: users of each role with API tokens, and HTTP clients that act as them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi.testclient import TestClient

from app.db.models import Organisation
from app.db.session import new_session
from app.domain.access import Actor
from app.services.accounts.tokens import issue_token
from app.services.accounts.users import create_user

SYSTEM = Actor.system("tests")
AUTHORITY = "Test Mine Action Authority"


@dataclass(frozen=True)
class Account:
    """A user made for a test, with a live API token."""

    id: int
    username: str
    role: str
    organisation_id: int
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def authority_id() -> int:
    """The organisation of the tests' admin (a national authority), made on first use."""
    with new_session() as session:
        found = session.query(Organisation.id).filter(Organisation.name == AUTHORITY).scalar()
        if found is None:
            org = Organisation(name=AUTHORITY, kind="national_authority", created_by="tests", updated_by="tests")
            session.add(org)
            session.flush()
            found = org.id
            session.commit()
        return int(found)


def make_account(
    role: str,
    *,
    username: str | None = None,
    organisation_id: int | None = None,
    donor_id: int | None = None,
    password: str | None = None,
) -> Account:
    """A user of `role` (in the authority unless told) with a 30-day token."""
    org = organisation_id if organisation_id is not None else authority_id()
    name = username or f"{role}.{org}.{donor_id or 0}"
    with new_session() as session:
        user = create_user(
            session,
            username=name,
            role=role,
            organisation_id=org,
            donor_id=donor_id,
            password=password,
            actor=SYSTEM,
        )
        issued = issue_token(session, user=user, name="tests", days=30, max_days=30, actor=SYSTEM)
        account = Account(user.id, user.username, role, org, issued.secret)
        session.commit()
    return account


def client_for(app: Any, account: Account | None) -> TestClient:
    """A client that sends the account's token with every request (none: anonymous)."""
    return TestClient(app, headers=account.headers if account else {})


def bearer(username: str, role: str = "admin", organisation_id: int | None = None) -> dict[str, str]:
    """Authorization headers of the user `username` (made with `role` on first use), for one request."""
    from app.services.accounts.users import find_user

    with new_session() as session:
        user = find_user(session, username)
        if user is None:
            return make_account(role, username=username, organisation_id=organisation_id).headers
        issued = issue_token(session, user=user, name="tests", days=1, max_days=1, actor=SYSTEM)
        session.commit()
        return {"Authorization": f"Bearer {issued.secret}"}
