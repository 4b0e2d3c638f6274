"""Finding a format's columns in a header row, by name: case-insensitive, spaces collapsed,
with the aliases platforms have used over time (Meta's `Impressions` became `Views`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.analytics.cells import text

# One required or optional column: the name we report, then every alias we accept.
Column = tuple[str, ...]


def norm(name: Any) -> str:
    return " ".join(text(name).casefold().split())


class MissingColumns(Exception):
    def __init__(self, sheet: str, missing: list[str], header_row: int) -> None:
        self.sheet, self.missing, self.header_row = sheet, missing, header_row
        names = ", ".join(repr(m) for m in missing)
        where = f"{sheet}, " if sheet else ""
        plural = "s" if len(missing) > 1 else ""
        super().__init__(f"{where}row {header_row}: column{plural} {names} missing")


@dataclass(frozen=True)
class Columns:
    """Where each wanted column is in a row; absent optional ones map to None."""

    positions: dict[str, int | None]

    @classmethod
    def find(
        cls,
        header: Sequence[Any],
        required: Sequence[Column],
        optional: Sequence[Column] = (),
        *,
        sheet: str = "",
        header_row: int = 1,
    ) -> Columns:
        seen: dict[str, int] = {}
        for index, cell in enumerate(header):
            seen.setdefault(norm(cell), index)
        positions: dict[str, int | None] = {}
        missing: list[str] = []
        for names in (*required, *optional):
            found = next((seen[norm(n)] for n in names if norm(n) in seen), None)
            positions[names[0]] = found
            if found is None and names in required:
                missing.append(names[0])
        if missing:
            raise MissingColumns(sheet, missing, header_row)
        return cls(positions)

    def get(self, row: Sequence[Any], name: str) -> Any:
        index = self.positions.get(name)
        if index is None or index >= len(row):
            return None
        return row[index]


def present(header: Sequence[Any], wanted: Sequence[Column]) -> list[bool]:
    seen = {norm(c) for c in header}
    return [any(norm(n) in seen for n in names) for names in wanted]


def header_row(rows: Sequence[Sequence[Any]], anchor: Column, *, within: int = 5) -> int | None:
    """The index (from 0) of the first row holding `anchor`: LinkedIn puts a description
    sentence (and sometimes a blank row) above its header."""
    names = {norm(n) for n in anchor}
    for index, row in enumerate(rows[:within]):
        if any(norm(cell) in names for cell in row):
            return index
    return None
