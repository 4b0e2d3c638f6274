"""Block Kit views, rendered from plain values."""
