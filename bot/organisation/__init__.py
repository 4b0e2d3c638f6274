"""The organisation: its timezone, departments, people and their roles, and its accounts.

A domain: pure rules (`decide_…() -> Decision`) and services over a session. Never imports
Slack, flows, handlers or jobs."""
