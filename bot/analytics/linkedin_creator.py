"""LinkedIn's personal (creator) analytics export, for leaders' own profiles
(`Content_<from>_<to>_<Name>.xlsx`): sheets `DISCOVERY`, `ENGAGEMENT` (daily impressions and
engagements), `TOP POSTS` (a banner row, then two side-by-side top-50 tables: by engagements and
by impressions) and `FOLLOWERS` (total on the last day, then daily new followers). Numbers are
stored as text, dates as M/D/YYYY."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import Any

from bot.analytics import cells
from bot.analytics.columns import Column, MissingColumns, header_row, norm
from bot.analytics.linkedin_page import daily, sheet_named, table, urn_time
from bot.analytics.records import (
    CellError,
    DayRecord,
    ParseContext,
    PostRecord,
    Record,
    RowProblem,
    Where,
)
from bot.analytics.tables import Workbook
from bot.analytics.urls import linkedin_id
from bot.organisation.platforms import Platform

ENGAGEMENT_SHEET = "ENGAGEMENT"
TOP_POSTS_SHEET = "TOP POSTS"
FOLLOWERS_SHEET = "FOLLOWERS"
ENGAGEMENT_REQUIRED: tuple[Column, ...] = (("Date",), ("Impressions",), ("Engagements",))
FOLLOWERS_REQUIRED: tuple[Column, ...] = (("Date",), ("New followers",))
_TOTAL = re.compile(r"total followers on\s+(\d{1,2}/\d{1,2}/\d{4})", re.IGNORECASE)
_FILE = re.compile(r"^Content_\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}_(?P<name>.+)\.xlsx?$", re.I)


def filename_hint(filename: str) -> str | None:
    match = _FILE.match(filename)
    return match["name"] if match else None


def parse(book: Workbook, context: ParseContext) -> Iterator[Record]:
    engagement = sheet_named(book, ENGAGEMENT_SHEET)
    top = sheet_named(book, TOP_POSTS_SHEET)
    followers = sheet_named(book, FOLLOWERS_SHEET)
    assert engagement is not None and top is not None
    days: dict[date, DayRecord] = {}
    problems: list[RowProblem] = []
    for record in _engagement(book, engagement):
        if isinstance(record, RowProblem):
            problems.append(record)
        else:
            days[record.day] = record
    if followers is not None:
        for item in _followers(book, followers):
            if isinstance(item, RowProblem):
                problems.append(item)
                continue
            day, gained, total, where = item
            record = days.setdefault(day, DayRecord(day=day, where=where))
            if gained is not None:
                record.followers_gained = gained
            if total is not None:
                record.followers = total
    yield from problems
    yield from _top_posts(book, top)
    yield from sorted(days.values(), key=lambda r: r.day)


def _engagement(book: Workbook, sheet: str) -> Iterator[DayRecord | RowProblem]:
    yield from daily(
        book,
        sheet,
        ENGAGEMENT_REQUIRED,
        counts=(
            ("Impressions", ("impressions",)),
            ("Engagements", ("engagements", "interactions")),
        ),
    )


def _followers(
    book: Workbook, sheet: str
) -> Iterator[tuple[date, int | None, int | None, Where] | RowProblem]:
    head = book.head(sheet, 3)
    total: tuple[date, int, Where] | None = None
    for number, row in enumerate(head, start=1):
        label = " ".join(cells.text(c) for c in row[:1])
        match = _TOTAL.search(label)
        if match:
            where = Where(sheet, number, "B")
            try:
                value = cells.count(row[1] if len(row) > 1 else None)
            except CellError as exc:
                yield RowProblem(where, str(exc))
                return
            try:
                day = cells.mdy(match[1])
            except CellError as exc:
                yield RowProblem(Where(sheet, number, "A"), str(exc))
                return
            if value is not None:
                total = (day, value, where)
    columns, rows = table(book, sheet, FOLLOWERS_REQUIRED)
    for number, row in rows:
        if not any(cells.text(c) for c in row):
            continue
        column = "Date"
        try:
            day = cells.mdy(columns.get(row, "Date"))
            column = "New followers"
            gained = cells.count(columns.get(row, column))
        except CellError as exc:
            yield RowProblem(Where(sheet, number, column), str(exc))
            continue
        yield day, gained, None, Where(sheet, number)
    if total is not None:
        yield total[0], None, total[1], total[2]


def _top_posts(book: Workbook, sheet: str) -> Iterator[Record]:
    rows = book.rows(sheet)
    head: list[list[Any]] = []
    for row in rows:
        head.append(row)
        if len(head) >= 6:
            break
    index = header_row(head, ("Post URL",))
    if index is None:
        raise MissingColumns(sheet, ["Post URL"], 1)
    header = [norm(c) for c in head[index]]
    starts = [i for i, name in enumerate(header) if name == "post url"]
    tables: list[tuple[int, int, str]] = []  # (url column, date column, metric column)
    for start in starts:
        metric = norm(header[start + 2]) if start + 2 < len(header) else ""
        if metric not in ("engagements", "impressions") or header[start + 1] != "post publish date":
            raise MissingColumns(sheet, ["Post publish date", "Engagements"], index + 1)
        tables.append((start, start + 1, metric))
    if not any(m == "impressions" for *_, m in tables) or not any(
        m == "engagements" for *_, m in tables
    ):
        missing = [m.title() for m in ("engagements", "impressions") if m not in header]
        raise MissingColumns(sheet, missing or ["Post URL"], index + 1)
    posts: dict[str, PostRecord] = {}

    def data() -> Iterator[tuple[int, list[Any]]]:
        number = index + 1
        for row in head[index + 1 :]:
            number += 1
            yield number, row
        for row in rows:
            number += 1
            yield number, row

    for number, row in data():
        for url_at, date_at, metric in tables:
            url = cells.text(row[url_at]) if url_at < len(row) else ""
            if not url:
                continue
            letter = _letter(url_at)
            post_id = linkedin_id(url)
            if post_id is None:
                yield RowProblem(
                    Where(sheet, number, f"{letter} (Post URL)"),
                    f"{url[:60]!r} holds no post URN (urn:li:activity:…)",
                )
                continue
            try:
                published = urn_time(post_id)
                cells.mdy(row[date_at] if date_at < len(row) else None)
            except CellError as exc:
                yield RowProblem(
                    Where(sheet, number, f"{_letter(date_at)} (Post publish date)"), str(exc)
                )
                continue
            try:
                value = cells.count(row[url_at + 2] if url_at + 2 < len(row) else None)
            except CellError as exc:
                yield RowProblem(
                    Where(sheet, number, f"{_letter(url_at + 2)} ({metric.title()})"), str(exc)
                )
                continue
            record = posts.get(post_id)
            if record is None:
                record = posts[post_id] = PostRecord(
                    platform=Platform.LINKEDIN,
                    native_id=post_id,
                    published_at=published,
                    where=Where(sheet, number),
                    url=url,
                )
            if metric == "impressions":
                record.impressions = value
            else:
                record.engagements = record.interactions = value
    yield from posts.values()


def _letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
