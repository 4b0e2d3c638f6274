"""The posting schedule: slots, their import, and views of a month.

A domain: pure rules (`decide_…() -> Decision`) and services over a session. Never imports
Slack, flows, handlers or jobs."""
