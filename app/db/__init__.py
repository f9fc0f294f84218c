"""Database access: engine and sessions, ORM models."""
