"""Scheduled work. Every job is idempotent: running it twice, or on two workers, does no harm."""
