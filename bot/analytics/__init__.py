"""Analytics: the platforms' own export files, read as they come, stored once per post and per
account-day, and the one engagement-rate definition every report uses. A domain: it never
imports Slack, flows, handlers or jobs."""
