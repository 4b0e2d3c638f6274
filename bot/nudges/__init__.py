"""Nudges: reminders before a post is due, and escalation when it is late.

A domain: pure rules (`decide_…() -> Decision`) and services over a session. Never imports
Slack, flows, handlers or jobs."""
