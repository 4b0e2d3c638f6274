"""The schedule: each job says when, and runs one flow (`bot.flows`) holding its lock. Every
job is idempotent: running it twice, or on two workers, does no harm.

Imports flows and `bot.slack`; never handlers (CI's import contracts hold this)."""
