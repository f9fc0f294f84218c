"""Victims' names and contacts, sealed with the key MAIS_IDENTITY_KEY before they reach the database.

Why: `victim_identity` is the only personal data the system keeps (docs/mine-action.md §7). Sealed
with a key that lives in the server's configuration and never in the database, a copy of the
database, a backup or a dump handed to a contractor does not give the names away; only the running
application, for an admin, opens them. Fernet (AES-128-CBC with an HMAC-SHA256) also refuses a sealed
value that was tampered with, rather than returning garbage.

Name and contact are sealed together as one JSON object, as migration 0007 sealed the rows recorded
before it. A changed key makes every row unreadable: `unseal` then refuses with `IdentityKeyMismatch`,
which tells the operator what to fix instead of failing with a traceback.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from cryptography.fernet import Fernet, InvalidToken

from app.config import get_settings
from app.domain.errors import Conflict

log = logging.getLogger(__name__)


class IdentityKeyMismatch(Conflict):
    """A sealed identity that the configured key does not open: the key changed since it was sealed."""


def _fernet() -> Fernet:
    return Fernet(get_settings().identity_key.encode())


def seal(name: str | None, contact: str | None) -> bytes:
    """Name and contact as one Fernet token, opened only with the configured key."""
    return _fernet().encrypt(json.dumps({"name": name, "contact": contact}).encode())


def unseal(sealed: bytes, *, victim_id: int | None = None) -> dict[str, Any]:
    """{"name": …, "contact": …} of a sealed identity; IdentityKeyMismatch (logged) if the key does not open it."""
    try:
        opened = _fernet().decrypt(bytes(sealed))
    except InvalidToken:
        log.error(
            "victim identity %s cannot be unsealed: MAIS_IDENTITY_KEY is not the key it was sealed with",
            victim_id if victim_id is not None else "?",
        )
        raise IdentityKeyMismatch(
            "victims' identities cannot be read: the server's MAIS_IDENTITY_KEY does not match the key they were"
            " sealed with; the operator must configure the original key (nothing was changed)",
            victim_id=victim_id,
        ) from None
    identity = json.loads(opened)
    return {"name": identity.get("name"), "contact": identity.get("contact")}
