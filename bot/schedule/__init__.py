"""The posting schedule: slots, their import, and views of a month."""
