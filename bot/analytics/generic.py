"""The one documented CSV for every other source (Mastodon, Bluesky, YouTube, a spreadsheet
someone keeps):

    account,date,post_url,impressions,reach,engagements,clicks,followers_gained

`account` is `platform:handle`; `date` is YYYY-MM-DD (UTC). A row with a `post_url` is a post
(its lifetime totals); a row without one is the account's totals for that day. Optional
columns: `time` (HH:MM, UTC), `post_id`, `format`, `reactions`, `comments`, `shares`, `saves`,
`followers` (total at the end of the day), `text`."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time

from bot.analytics import cells
from bot.analytics.columns import Column, Columns, norm
from bot.analytics.measures import interactions
from bot.analytics.records import (
    CellError,
    DayRecord,
    ParseContext,
    PostFormat,
    PostRecord,
    Record,
    RowProblem,
    Where,
)
from bot.analytics.tables import Workbook
from bot.analytics.urls import post_key
from bot.organisation.platforms import parse_account_ref

REQUIRED: tuple[Column, ...] = tuple(
    (name,)
    for name in (
        "account",
        "date",
        "post_url",
        "impressions",
        "reach",
        "engagements",
        "clicks",
        "followers_gained",
    )
)
OPTIONAL: tuple[Column, ...] = tuple(
    (name,)
    for name in (
        "time",
        "post_id",
        "format",
        "reactions",
        "comments",
        "shares",
        "saves",
        "followers",
        "text",
    )
)
_FORMATS = {f.value: f for f in PostFormat} | {"photo": PostFormat.IMAGE, "reel": PostFormat.VIDEO}


def parse(book: Workbook, context: ParseContext) -> Iterator[Record]:
    rows = book.rows("")
    columns = Columns.find(next(rows, []), REQUIRED, OPTIONAL)
    for number, row in enumerate(rows, start=2):
        if not any(row):
            continue
        column = "account"
        try:
            ref = parse_account_ref(cells.text(columns.get(row, "account")))
            if ref is None:
                raise CellError("not an account named platform:handle (e.g. mastodon:acme)")
            platform, handle = ref
            account = f"{platform.value}:{handle}"
            column = "date"
            day = cells.iso_day(columns.get(row, "date"))
            url = cells.text(columns.get(row, "post_url"))
            counts: dict[str, int | None] = {}
            for name in (
                "impressions",
                "reach",
                "engagements",
                "clicks",
                "followers_gained",
                "reactions",
                "comments",
                "shares",
                "saves",
                "followers",
            ):
                column = name
                counts[name] = cells.count(columns.get(row, name))
            if not url:
                yield DayRecord(
                    day=day,
                    where=Where("", number),
                    impressions=counts["impressions"],
                    reach=counts["reach"],
                    engagements=counts["engagements"],
                    interactions=counts["engagements"],
                    clicks=counts["clicks"],
                    followers_gained=counts["followers_gained"],
                    followers=counts["followers"],
                    account=account,
                )
                continue
            column = "post_url"
            key = post_key(url)
            if key is None:
                raise CellError(f"{url[:60]!r} is not a link")
            column = "time"
            at, known = _moment(day, cells.text(columns.get(row, "time")))
            column = "post_id"
            native_id = cells.text(columns.get(row, "post_id")) or key
            if len(native_id) > 100:
                raise CellError("longer than 100 characters")
            column = "format"
            raw_format = cells.text(columns.get(row, "format"))
            post_format = _FORMATS.get(norm(raw_format), PostFormat.UNKNOWN)
            parts = interactions(
                counts["reactions"], counts["comments"], counts["shares"], counts["saves"]
            )
            yield PostRecord(
                platform=platform,
                native_id=native_id,
                published_at=at,
                where=Where("", number),
                time_known=known,
                url=url,
                format=post_format,
                raw_type=raw_format[:60],
                text=cells.text(columns.get(row, "text"))[:200],
                impressions=counts["impressions"],
                reach=counts["reach"],
                reactions=counts["reactions"],
                comments=counts["comments"],
                shares=counts["shares"],
                saves=counts["saves"],
                clicks=counts["clicks"],
                follows=counts["followers_gained"],
                engagements=counts["engagements"],
                interactions=parts if parts is not None else counts["engagements"],
                account=account,
            )
        except CellError as exc:
            yield RowProblem(Where("", number, column), str(exc))


def _moment(day: date, raw: str) -> tuple[datetime, bool]:
    if not raw:
        return datetime.combine(day, time(0, 0), tzinfo=UTC), False
    hours, _, minutes = raw.partition(":")
    if hours.isdigit() and minutes.isdigit() and int(hours) < 24 and int(minutes) < 60:
        return datetime.combine(day, time(int(hours), int(minutes)), tzinfo=UTC), True
    raise CellError(f"{raw[:20]!r} is not a time like 14:30")
