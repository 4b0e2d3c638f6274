"""Everything that talks to Slack from the inside out: downloads of shared files, and (per
issue 8) the outbox, people, uploads and Block Kit views."""
