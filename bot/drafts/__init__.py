"""Drafts of posts, submitted by contributors for their slots.

A domain: pure rules (`decide_…() -> Decision`) and services over a session. Never imports
Slack, flows, handlers or jobs."""
