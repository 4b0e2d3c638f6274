"""LinkedIn Page exports (.xls as LinkedIn serves them, or .xlsx): the content export (sheets
`Metrics`, daily, and `All posts`) and the followers export (sheet `New followers`). Each sheet
has a description sentence in row 1 above its header; dates are MM/DD/YYYY text in UTC. A post's
`Post link` holds an activity URN whose id carries its creation time."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from bot.analytics import cells
from bot.analytics.columns import Column, Columns, MissingColumns, header_row, norm
from bot.analytics.records import (
    CellError,
    DayRecord,
    ParseContext,
    PostFormat,
    PostRecord,
    Record,
    RowProblem,
    Skipped,
    Where,
)
from bot.analytics.tables import Workbook
from bot.analytics.urls import linkedin_id
from bot.organisation.platforms import Platform

POSTS_SHEET = "All posts"
METRICS_SHEET = "Metrics"
FOLLOWERS_SHEET = "New followers"

POSTS_REQUIRED: tuple[Column, ...] = (
    ("Post link",),
    ("Post type",),
    ("Created date",),
    ("Impressions",),
    ("Clicks",),
    ("Likes",),
    ("Comments",),
    ("Reposts",),
)
POSTS_OPTIONAL: tuple[Column, ...] = (
    ("Post title",),
    ("Follows",),
    ("Content Type",),
    ("Views (excluding off-site video views)", "Views"),
)
METRICS_REQUIRED: tuple[Column, ...] = (
    ("Date",),
    ("Impressions (total)",),
    ("Clicks (total)",),
    ("Reactions (total)",),
    ("Comments (total)",),
    ("Reposts (total)",),
)
METRICS_OPTIONAL: tuple[Column, ...] = (("Unique impressions (organic)",),)
FOLLOWERS_REQUIRED: tuple[Column, ...] = (("Date",), ("Total followers",))

_FORMATS = {
    "text": PostFormat.TEXT,
    "image": PostFormat.IMAGE,
    "images": PostFormat.IMAGE,
    "multi-image": PostFormat.CAROUSEL,
    "carousel": PostFormat.CAROUSEL,
    "video": PostFormat.VIDEO,
    "article": PostFormat.ARTICLE,
    "document": PostFormat.DOCUMENT,
    "poll": PostFormat.POLL,
    "link": PostFormat.LINK,
    "url": PostFormat.LINK,
}


def urn_time(post_id: str) -> datetime:
    """A LinkedIn post id's first 41 bits are its creation time in ms since 1970."""
    value = int(post_id)
    moment = datetime.fromtimestamp((value >> 22) / 1000, tz=UTC)
    if not 2003 <= moment.year <= 2100:
        raise CellError(f"{post_id!r} is not a LinkedIn post id")
    return moment


def sheet_named(book: Workbook, name: str) -> str | None:
    return next((s for s in book.sheet_names if norm(s) == norm(name)), None)


def table(
    book: Workbook,
    sheet: str,
    required: tuple[Column, ...],
    optional: tuple[Column, ...] = (),
) -> tuple[Columns, Iterator[tuple[int, list[Any]]]]:
    """The sheet's columns and its data rows (numbered as in the spreadsheet), found below
    whatever description LinkedIn wrote above the header."""
    rows = book.rows(sheet)
    head: list[list[Any]] = []
    for row in rows:
        head.append(row)
        if len(head) >= 6:
            break
    index = header_row(head, required[0])
    if index is None:
        raise MissingColumns(sheet, [required[0][0]], 1)
    columns = Columns.find(head[index], required, optional, sheet=sheet, header_row=index + 1)

    def data() -> Iterator[tuple[int, list[Any]]]:
        number = index + 1
        for row in head[index + 1 :]:
            number += 1
            yield number, row
        for row in rows:
            number += 1
            yield number, row

    return columns, data()


def parse_content(book: Workbook, context: ParseContext) -> Iterator[Record]:
    posts = sheet_named(book, POSTS_SHEET)
    assert posts is not None
    metrics = sheet_named(book, METRICS_SHEET)
    columns, rows = table(book, posts, POSTS_REQUIRED, POSTS_OPTIONAL)
    for number, row in rows:
        if not any(cells.text(c) for c in row):
            continue
        link = cells.text(columns.get(row, "Post link"))
        if not link:
            yield Skipped(Where(posts, number), "no Post link")
            continue
        column = "Post link"
        try:
            post_id = linkedin_id(link)
            if post_id is None:
                raise CellError(f"{link[:60]!r} holds no post URN (urn:li:activity:…)")
            published = urn_time(post_id)
            column = "Created date"
            cells.mdy(columns.get(row, "Created date"))
            content = cells.text(columns.get(row, "Content Type"))
            record = PostRecord(
                platform=Platform.LINKEDIN,
                native_id=post_id,
                published_at=published,
                where=Where(posts, number),
                url=link,
                format=_FORMATS.get(norm(content), PostFormat.UNKNOWN),
                raw_type=content[:60],
                sponsored=norm(cells.text(columns.get(row, "Post type"))) == "sponsored",
                text=cells.text(columns.get(row, "Post title"))[:200],
            )
            for field, name in (
                ("impressions", "Impressions"),
                ("clicks", "Clicks"),
                ("reactions", "Likes"),
                ("comments", "Comments"),
                ("shares", "Reposts"),
                ("follows", "Follows"),
            ):
                column = name
                setattr(record, field, cells.count(columns.get(row, name)))
        except CellError as exc:
            yield RowProblem(Where(posts, number, column), str(exc))
            continue
        yield record
    if metrics is not None:
        yield from _metrics(book, metrics)


def daily(
    book: Workbook,
    sheet: str,
    required: tuple[Column, ...],
    optional: tuple[Column, ...] = (),
    *,
    counts: tuple[tuple[str, tuple[str, ...]], ...],
    summed: tuple[tuple[str, tuple[str, ...]], ...] = (),
) -> Iterator[DayRecord | RowProblem]:
    """A sheet of one row per day (a "Date" column, month/day/year): `counts` puts each named
    column's count into the record's fields; `summed` adds several columns into one field
    (None when all are empty). A bad cell is a problem at its row and column."""
    columns, rows = table(book, sheet, required, optional)
    for number, row in rows:
        if not any(cells.text(c) for c in row):
            continue
        column = "Date"
        try:
            record = DayRecord(day=cells.mdy(columns.get(row, column)), where=Where(sheet, number))
            for column, fields in counts:
                value = cells.count(columns.get(row, column))
                for field in fields:
                    setattr(record, field, value)
            for field, parts in summed:
                known = []
                for column in parts:
                    value = cells.count(columns.get(row, column))
                    if value is not None:
                        known.append(value)
                setattr(record, field, sum(known) if known else None)
        except CellError as exc:
            yield RowProblem(Where(sheet, number, column), str(exc))
            continue
        yield record


def _metrics(book: Workbook, sheet: str) -> Iterator[Record]:
    yield from daily(
        book,
        sheet,
        METRICS_REQUIRED,
        METRICS_OPTIONAL,
        counts=(
            ("Impressions (total)", ("impressions",)),
            ("Unique impressions (organic)", ("reach",)),
            ("Clicks (total)", ("clicks",)),
        ),
        summed=(("interactions", ("Reactions (total)", "Comments (total)", "Reposts (total)")),),
    )


def parse_followers(book: Workbook, context: ParseContext) -> Iterator[Record]:
    sheet = sheet_named(book, FOLLOWERS_SHEET)
    assert sheet is not None
    yield from daily(
        book, sheet, FOLLOWERS_REQUIRED, counts=(("Total followers", ("followers_gained",)),)
    )
