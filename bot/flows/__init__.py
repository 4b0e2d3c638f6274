"""One module per use case: plain functions that handlers and jobs call, orchestrating domains
and Slack."""
