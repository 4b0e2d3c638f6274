"""Everything that talks to Slack from the inside out: the exactly-once outbox, people and
their timezones, and the Block Kit views with the action and callback ids they carry.

Imported by flows (and handlers for ids and views); imports domains and storage, never flows,
handlers or jobs."""
