"""Queries, one module per domain. Services call these; nothing else writes SQL."""
