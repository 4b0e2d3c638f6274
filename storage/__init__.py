"""Persistence: table models, the stored slot states, repositories (all SQL lives here), job
locks and migrations. Imports nothing above it; only domains (and `bot.slack`'s outbox and
people cache) call it."""
