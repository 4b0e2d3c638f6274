"""The monthly report to leadership: figures, honest advice, and how they are shown.

`inputs` (plain records), `stats` (permutation tests, multiple-comparison correction),
`figures` (the month's measures), `advice` (claims the data support) and `model` (the report,
its text and its JSON) are pure: no Slack, no database. `loader` reads the records from storage;
`charts` draws them with matplotlib and is imported only where charts are made (the worker and
the CLI), never by the web process."""
