"""Block Kit builders: pure functions from domain results to Slack payloads."""
