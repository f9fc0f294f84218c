"""Random secrets for tokens and sessions, stored only as their SHA-256.

A token or session id has 256 bits of randomness: a fast hash is enough to store it (argon2 is for
passwords, which people choose), and lets the lookup be one indexed equality.
"""

from __future__ import annotations

import hashlib
import secrets

TOKEN_PREFIX = "mais_"


def new_secret(prefix: str = "") -> str:
    """A new random secret, URL-safe, with an optional recognisable prefix (for secret scanners)."""
    return prefix + secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    """What is stored of a secret."""
    return hashlib.sha256(secret.encode()).hexdigest()
