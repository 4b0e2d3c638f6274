"""Block Kit builders: plain values in, (text, blocks) or a view out."""
