"""Use cases, one module each: what happens when someone submits a draft, a coordinator
decides, a job sends reminders. Plain functions over a `Flow` (runtime + Slack client) that
orchestrate the domains and `bot.slack`. Handlers and jobs call these; flows import neither."""
