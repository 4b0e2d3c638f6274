"""Meta Business Suite post exports (Facebook Page and Instagram): CSV, UTF-8 with a BOM, one
row per post with lifetime totals (`Date` = `Lifetime`), `Publish time` as MM/DD/YYYY HH:MM in
the account's local time (taken as the organisation's timezone)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC
from zoneinfo import ZoneInfo

from bot.analytics import cells
from bot.analytics.columns import Column, Columns, norm
from bot.analytics.records import (
    CellError,
    ParseContext,
    PostFormat,
    PostRecord,
    Record,
    RowProblem,
    Skipped,
    Where,
)
from bot.analytics.tables import Workbook
from bot.organisation.platforms import Platform

VIEWS: Column = ("Views", "Impressions")  # renamed by Meta in 2025; older exports say Impressions

FACEBOOK_REQUIRED: tuple[Column, ...] = (
    ("Post ID",),
    ("Page ID",),
    ("Page name",),
    ("Publish time",),
    ("Permalink",),
    ("Post type",),
    VIEWS,
    ("Reach",),
    ("Reactions",),
    ("Comments",),
    ("Shares",),
)
FACEBOOK_OPTIONAL: tuple[Column, ...] = (
    ("Title",),
    ("Description",),
    ("Date",),
    ("Total clicks",),
    ("Link Clicks",),
)
INSTAGRAM_REQUIRED: tuple[Column, ...] = (
    ("Post ID",),
    ("Account ID",),
    ("Account username",),
    ("Publish time",),
    ("Permalink",),
    ("Post type",),
    VIEWS,
    ("Reach",),
    ("Likes",),
    ("Comments",),
    ("Shares",),
    ("Saves",),
)
INSTAGRAM_OPTIONAL: tuple[Column, ...] = (("Description",), ("Date",), ("Follows",))

_FORMATS = {
    "photos": PostFormat.IMAGE,
    "photo": PostFormat.IMAGE,
    "videos": PostFormat.VIDEO,
    "video": PostFormat.VIDEO,
    "reels": PostFormat.VIDEO,
    "reel": PostFormat.VIDEO,
    "links": PostFormat.LINK,
    "link": PostFormat.LINK,
    "text": PostFormat.TEXT,
    "status": PostFormat.TEXT,
    "ig image": PostFormat.IMAGE,
    "ig carousel": PostFormat.CAROUSEL,
    "ig reel": PostFormat.VIDEO,
    "ig video": PostFormat.VIDEO,
}

_COUNTS_FACEBOOK = (
    ("impressions", "Views"),
    ("reach", "Reach"),
    ("reactions", "Reactions"),
    ("comments", "Comments"),
    ("shares", "Shares"),
    ("clicks", "Total clicks"),
)
_COUNTS_INSTAGRAM = (
    ("impressions", "Views"),
    ("reach", "Reach"),
    ("reactions", "Likes"),
    ("comments", "Comments"),
    ("shares", "Shares"),
    ("saves", "Saves"),
    ("follows", "Follows"),
)


def parse_facebook(book: Workbook, context: ParseContext) -> Iterator[Record]:
    return _parse(book, context, Platform.FACEBOOK)


def parse_instagram(book: Workbook, context: ParseContext) -> Iterator[Record]:
    return _parse(book, context, Platform.INSTAGRAM)


def _parse(book: Workbook, context: ParseContext, platform: Platform) -> Iterator[Record]:
    facebook = platform is Platform.FACEBOOK
    rows = book.rows("")
    header = next(rows, [])
    columns = Columns.find(
        header,
        FACEBOOK_REQUIRED if facebook else INSTAGRAM_REQUIRED,
        FACEBOOK_OPTIONAL if facebook else INSTAGRAM_OPTIONAL,
    )
    counts = _COUNTS_FACEBOOK if facebook else _COUNTS_INSTAGRAM
    hint_column = "Page name" if facebook else "Account username"
    text_columns = ("Title", "Description") if facebook else ("Description",)
    timezone = context.timezone
    assert isinstance(timezone, ZoneInfo)
    for number, row in enumerate(rows, start=2):
        if not any(row):
            continue
        native_id = cells.text(columns.get(row, "Post ID"))
        if not native_id:
            yield Skipped(Where("", number), "no Post ID")
            continue
        column = "Post ID"
        try:
            if not native_id.replace("_", "").isdigit() or len(native_id) > 100:
                raise CellError(f"{native_id[:40]!r} is not a Meta post ID")
            lifetime = cells.text(columns.get(row, "Date"))
            if lifetime and lifetime.casefold() != "lifetime":
                column = "Date"
                raise CellError(
                    f"{lifetime[:20]!r}: export lifetime totals (Date = Lifetime), not a "
                    "breakdown by day"
                )
            column = "Publish time"
            local = cells.mdy_hm(columns.get(row, "Publish time"))
            published = local.replace(tzinfo=timezone).astimezone(UTC)
            raw_type = cells.text(columns.get(row, "Post type"))
            record = PostRecord(
                platform=platform,
                native_id=native_id,
                published_at=published,
                where=Where("", number),
                url=cells.text(columns.get(row, "Permalink")) or None,
                format=_FORMATS.get(norm(raw_type), PostFormat.UNKNOWN),
                raw_type=raw_type[:60],
                text=next(
                    (t[:200] for t in (cells.text(columns.get(row, c)) for c in text_columns) if t),
                    "",
                ),
                hint=cells.text(columns.get(row, hint_column)) or None,
            )
            for field, name in counts:
                column = name
                setattr(record, field, cells.count(columns.get(row, name)))
        except CellError as exc:
            yield RowProblem(Where("", number, column), str(exc))
            continue
        yield record
