"""Domain rules; functions take a Session, never a Request."""
