"""The domain's vocabulary, rules and errors: no web, no database."""
