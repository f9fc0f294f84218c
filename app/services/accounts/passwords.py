"""Passwords: argon2id through argon2-cffi, with its default (RFC 9106 low-memory) parameters."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from app.domain.errors import Invalid

_hasher = PasswordHasher()
# Verified against when the username is unknown, so that a wrong name takes as long as a wrong password.
_DECOY = _hasher.hash("a password nobody has")
MIN_LENGTH = 10


def hash_password(password: str) -> str:
    """The argon2id hash to store; a password shorter than MIN_LENGTH is refused with the reason."""
    if len(password) < MIN_LENGTH:
        raise Invalid(f"a password needs at least {MIN_LENGTH} characters", field="password")
    return _hasher.hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    """Whether `password` matches the stored hash; spends the same time when there is none."""
    try:
        return _hasher.verify(stored or _DECOY, password) and stored is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    """Whether a hash was made with weaker parameters than today's (rehashed at the next login)."""
    return _hasher.check_needs_rehash(stored)
