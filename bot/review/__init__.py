"""Review of drafts by department coordinators, in the draft's thread.

A domain: pure rules (`decide_…() -> Decision`) and services over a session. Never imports
Slack, flows, handlers or jobs."""
