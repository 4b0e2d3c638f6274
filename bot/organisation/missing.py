"""Before the first `org load` there is no organisation; light enough for the CLI to import at
start-up (its every command reports this one way)."""

from __future__ import annotations


class NoOrganisation(Exception):
    """Nothing works before the organisation file is loaded."""

    def __init__(self) -> None:
        super().__init__("no organisation is loaded yet: run `python -m bot org load PATH` first")
