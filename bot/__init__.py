"""socialbot: runs an organisation's social media programme from inside Slack.

Layers, top to bottom (import-linter contracts in pyproject.toml, checked by CI):
`handlers` | `jobs` → `bot.flows` → `bot.slack` → `bot.runtime` → domains (`organisation`,
`schedule`, `drafts`, `review`, `nudges`, …) → `bot.decisions` → `storage`."""
