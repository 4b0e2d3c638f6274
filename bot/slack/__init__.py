"""Everything that talks to Slack from the inside out: Block Kit views, action ids, text.
Flows and jobs render through here, never through handlers."""
