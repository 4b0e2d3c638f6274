"""A local stand-in for Slack: a fake Web API server and correctly signed requests.

Used by the tests, the demo and the benchmarks; nothing here runs in production."""
