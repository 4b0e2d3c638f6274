"""What the parsers hand the service: posts, account-days, skipped rows and row problems."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from bot.organisation.platforms import Platform


class PostFormat(StrEnum):
    TEXT = "text"
    IMAGE = "image"
    CAROUSEL = "carousel"
    VIDEO = "video"
    LINK = "link"
    DOCUMENT = "document"
    POLL = "poll"
    ARTICLE = "article"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Where:
    """A place in a file, named the way people read spreadsheets (rows from 1)."""

    sheet: str  # "" for a CSV file
    row: int
    column: str = ""

    def __str__(self) -> str:
        parts = [self.sheet] if self.sheet else []
        parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column}")
        return ", ".join(parts)


class CellError(ValueError):
    """A value that cannot be what its column says; the parser adds where it was."""


@dataclass(frozen=True, slots=True)
class RowProblem:
    where: Where
    why: str

    def __str__(self) -> str:
        return f"{self.where}: {self.why}"


@dataclass(frozen=True, slots=True)
class Skipped:
    """A row the platform left without what identifies it; counted in the warnings."""

    where: Where
    why: str


@dataclass(slots=True)
class PostRecord:
    platform: Platform
    native_id: str
    published_at: datetime  # aware, UTC
    where: Where
    time_known: bool = True
    url: str | None = None
    format: PostFormat = PostFormat.UNKNOWN
    raw_type: str = ""
    sponsored: bool | None = None
    text: str = ""
    impressions: int | None = None
    reach: int | None = None
    reactions: int | None = None
    comments: int | None = None
    shares: int | None = None
    saves: int | None = None
    clicks: int | None = None
    follows: int | None = None
    engagements: int | None = None
    interactions: int | None = None  # set by the parser only where the platform gives a total
    hint: str | None = None  # the account the row names (page name, username, handle)
    account: str | None = None  # platform:handle, where the file names it (generic CSV)


@dataclass(slots=True)
class DayRecord:
    day: date
    where: Where
    impressions: int | None = None
    reach: int | None = None
    engagements: int | None = None
    interactions: int | None = None
    clicks: int | None = None
    followers_gained: int | None = None
    followers: int | None = None
    account: str | None = None  # platform:handle (generic CSV)


Record = PostRecord | DayRecord | Skipped | RowProblem


@dataclass(frozen=True)
class ParseContext:
    timezone: object  # ZoneInfo: the organisation's, where a platform writes local times
    filename: str = ""
