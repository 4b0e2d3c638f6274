"""Persistence: table models, repositories (all SQL lives here) and migrations."""
