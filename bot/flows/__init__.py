"""Use cases: plain functions a handler or a job calls, orchestrating domains and Slack."""
