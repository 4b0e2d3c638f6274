"""Nudges: reminders before a post is due, and escalation when it is late."""
