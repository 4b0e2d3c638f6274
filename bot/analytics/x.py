"""X exports: today's `account_analytics_content_<from>_<to>.csv` and the older
`tweet_activity_metrics_<handle>_<from>_<to>_en.csv`. Both key a post by its Snowflake id, so
the same post in either file is one post; the id also carries the publish time, which the newer
file does not (its `Date` has no time of day)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

from bot.analytics import cells
from bot.analytics.columns import Column, Columns
from bot.analytics.records import (
    CellError,
    ParseContext,
    PostRecord,
    Record,
    RowProblem,
    Skipped,
    Where,
)
from bot.analytics.tables import Workbook
from bot.analytics.urls import handle_in_url
from bot.organisation.platforms import Platform

TWITTER_EPOCH_MS = 1_288_834_974_657
_FIRST_SNOWFLAKE = 1 << 32  # anything smaller predates Snowflake ids (Nov 2010)

CONTENT_REQUIRED: tuple[Column, ...] = (
    ("Post id",),
    ("Date",),
    ("Post text",),
    ("Post Link",),
    ("Impressions",),
    ("Likes",),
    ("Engagements",),
    ("Bookmarks",),
    ("Shares",),
    ("Replies",),
    ("Reposts",),
)
CONTENT_OPTIONAL: tuple[Column, ...] = (
    ("New follows",),
    ("URL Clicks",),
    ("Profile visits",),
    ("Detail Expands",),
    ("Hashtag Clicks",),
    ("Permalink Clicks",),
)
ACTIVITY_REQUIRED: tuple[Column, ...] = (
    ("Tweet id",),
    ("Tweet permalink",),
    ("Tweet text",),
    ("time",),
    ("impressions",),
    ("engagements",),
    ("retweets",),
    ("replies",),
    ("likes",),
)
ACTIVITY_OPTIONAL: tuple[Column, ...] = (
    ("url clicks",),
    ("follows",),
    ("promoted impressions",),
)


def snowflake_time(post_id: str) -> datetime:
    """The moment an X (Snowflake) id was made: its top 42 bits are ms since 2010-11-04."""
    if not post_id.isdigit() or len(post_id) > 20:
        raise CellError(f"{post_id[:40]!r} is not an X post id")
    value = int(post_id)
    if value < _FIRST_SNOWFLAKE or value >= 1 << 63:
        raise CellError(f"{post_id[:40]!r} is not an X post id")
    return datetime.fromtimestamp(((value >> 22) + TWITTER_EPOCH_MS) / 1000, tz=UTC)


def parse_content(book: Workbook, context: ParseContext) -> Iterator[Record]:
    rows = book.rows("")
    columns = Columns.find(next(rows, []), CONTENT_REQUIRED, CONTENT_OPTIONAL)
    for number, row in enumerate(rows, start=2):
        if not any(row):
            continue
        post_id = cells.text(columns.get(row, "Post id"))
        if not post_id:
            yield Skipped(Where("", number), "no Post id")
            continue
        column = "Post id"
        try:
            published = snowflake_time(post_id)
            url = cells.text(columns.get(row, "Post Link")) or None
            record = PostRecord(
                platform=Platform.X,
                native_id=post_id,
                published_at=published,
                where=Where("", number),
                url=url,
                text=cells.text(columns.get(row, "Post text"))[:200],
                hint=handle_in_url(url) if url else None,
            )
            column = "Impressions"
            record.impressions = cells.count(columns.get(row, "Impressions"))
            column = "Likes"
            record.reactions = cells.count(columns.get(row, "Likes"))
            column = "Replies"
            record.comments = cells.count(columns.get(row, "Replies"))
            column = "Reposts"
            reposts = cells.count(columns.get(row, "Reposts"))
            column = "Shares"
            shares = cells.count(columns.get(row, "Shares"))
            record.shares = _add(reposts, shares)
            column = "Bookmarks"
            record.saves = cells.count(columns.get(row, "Bookmarks"))
            column = "URL Clicks"
            record.clicks = cells.count(columns.get(row, "URL Clicks"))
            column = "New follows"
            record.follows = cells.count(columns.get(row, "New follows"))
            column = "Engagements"
            record.engagements = cells.count(columns.get(row, "Engagements"))
        except CellError as exc:
            yield RowProblem(Where("", number, column), str(exc))
            continue
        yield record


def parse_activity(book: Workbook, context: ParseContext) -> Iterator[Record]:
    rows = book.rows("")
    columns = Columns.find(next(rows, []), ACTIVITY_REQUIRED, ACTIVITY_OPTIONAL)
    for number, row in enumerate(rows, start=2):
        if not any(row):
            continue
        post_id = cells.text(columns.get(row, "Tweet id"))
        if not post_id:
            yield Skipped(Where("", number), "no Tweet id")
            continue
        column = "Tweet id"
        try:
            snowflake_time(post_id)
            column = "time"
            published = _activity_time(cells.text(columns.get(row, "time")))
            url = cells.text(columns.get(row, "Tweet permalink")) or None
            record = PostRecord(
                platform=Platform.X,
                native_id=post_id,
                published_at=published,
                where=Where("", number),
                url=url,
                text=cells.text(columns.get(row, "Tweet text"))[:200],
                hint=handle_in_url(url) if url else None,
            )
            for field, name in (
                ("impressions", "impressions"),
                ("engagements", "engagements"),
                ("shares", "retweets"),
                ("comments", "replies"),
                ("reactions", "likes"),
                ("clicks", "url clicks"),
                ("follows", "follows"),
            ):
                column = name
                setattr(record, field, cells.count(columns.get(row, name)))
            column = "promoted impressions"
            promoted = cells.count(columns.get(row, "promoted impressions"))
            record.sponsored = bool(promoted)
        except CellError as exc:
            yield RowProblem(Where("", number, column), str(exc))
            continue
        yield record


def _activity_time(raw: str) -> datetime:
    """`2026-11-30 16:00 +0000`."""
    try:
        return datetime.strptime(raw, "%Y-%m-%d %H:%M %z").astimezone(UTC)
    except ValueError:
        raise CellError(f"{raw[:40]!r} is not a time like 2026-11-30 16:00 +0000") from None


def _add(a: int | None, b: int | None) -> int | None:
    if a is None and b is None:
        return None
    return (a or 0) + (b or 0)
