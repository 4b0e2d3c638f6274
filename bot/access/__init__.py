"""Credential access: who may request, approve, reveal and revoke access to an account, the
vault that keeps its secret, TOTP codes, and the hash-chained audit log.

Pure rules live in `rules.py` (plain values in, a Decision out); `service.py` applies them over a
database session. Nothing here imports Slack, flows, handlers or jobs."""
