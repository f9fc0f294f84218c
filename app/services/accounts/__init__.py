"""Accounts: users, their passwords, API tokens and browser sessions."""
