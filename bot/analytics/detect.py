"""Which export a file is, told by its headers (CSV) or its sheets (workbooks), never by its
name. A file that is almost a known one is refused naming what is missing; an unknown one with
the headers it has and the formats we know."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from bot.analytics import generic, linkedin_creator, linkedin_page, meta, x
from bot.analytics.columns import Column, norm, present
from bot.analytics.records import ParseContext, Record
from bot.analytics.tables import Workbook
from bot.organisation.platforms import Platform

Parser = Callable[[Workbook, ParseContext], Iterator[Record]]


@dataclass(frozen=True)
class Format:
    key: str
    label: str
    platform: Platform | None  # None: each row names its account (generic CSV)
    parse: Parser
    columns: tuple[Column, ...] = ()  # CSV: the header's required columns
    sheets: tuple[str, ...] = ()  # workbooks: the sheets that must be there
    file_hint: re.Pattern[str] | None = None  # where the account is in the platform's file name


FORMATS: tuple[Format, ...] = (
    Format(
        "meta_facebook",
        "Meta Business Suite, Facebook posts",
        Platform.FACEBOOK,
        meta.parse_facebook,
        columns=meta.FACEBOOK_REQUIRED,
    ),
    Format(
        "meta_instagram",
        "Meta Business Suite, Instagram posts",
        Platform.INSTAGRAM,
        meta.parse_instagram,
        columns=meta.INSTAGRAM_REQUIRED,
    ),
    Format(
        "x_content",
        "X post analytics (account_analytics_content)",
        Platform.X,
        x.parse_content,
        columns=x.CONTENT_REQUIRED,
    ),
    Format(
        "x_tweet_activity",
        "X tweet activity (tweet_activity_metrics)",
        Platform.X,
        x.parse_activity,
        columns=x.ACTIVITY_REQUIRED,
        file_hint=re.compile(r"^tweet_activity_metrics_(?P<name>.+?)_\d{8}_\d{8}", re.I),
    ),
    Format(
        "linkedin_page_content",
        "LinkedIn Page content",
        Platform.LINKEDIN,
        linkedin_page.parse_content,
        sheets=(linkedin_page.POSTS_SHEET,),
        file_hint=re.compile(r"^(?P<name>.+?)_content_\d+", re.I),
    ),
    Format(
        "linkedin_page_followers",
        "LinkedIn Page followers",
        Platform.LINKEDIN,
        linkedin_page.parse_followers,
        sheets=(linkedin_page.FOLLOWERS_SHEET,),
        file_hint=re.compile(r"^(?P<name>.+?)_followers_\d+", re.I),
    ),
    Format(
        "linkedin_creator",
        "LinkedIn creator analytics",
        Platform.LINKEDIN,
        linkedin_creator.parse,
        sheets=(
            linkedin_creator.ENGAGEMENT_SHEET,
            linkedin_creator.TOP_POSTS_SHEET,
        ),
        file_hint=re.compile(
            r"^Content_\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}_(?P<name>.+?)\.xlsx?$", re.I
        ),
    ),
    Format(
        "generic",
        "generic CSV",
        None,
        generic.parse,
        columns=generic.REQUIRED,
    ),
)
KNOWN = "; ".join(f.label for f in FORMATS)


class NotAnExport(Exception):
    """Refused before reading any row: unknown, or almost a known format."""


def detect(book: Workbook) -> Format:
    if book.kind == "csv":
        return _detect_csv(book)
    return _detect_workbook(book)


def _detect_csv(book: Workbook) -> Format:
    head = book.head("", 1)
    header = head[0] if head else []
    best: tuple[float, Format, list[bool]] | None = None
    for candidate in FORMATS:
        if not candidate.columns:
            continue
        found = present(header, candidate.columns)
        if all(found):
            return candidate
        score = sum(found) / len(found)
        if best is None or score > best[0]:
            best = (score, candidate, found)
    if best is not None and best[0] >= 0.5:
        _, candidate, found = best
        missing = [names[0] for names, ok in zip(candidate.columns, found, strict=True) if not ok]
        plural = "s" if len(missing) > 1 else ""
        raise NotAnExport(
            f"it looks like a {candidate.label} export, but column{plural} "
            f"{', '.join(repr(m) for m in missing)} {'are' if plural else 'is'} missing"
        )
    seen = ", ".join(repr(h) for h in (_show(c) for c in header[:30]) if h) or "none"
    raise NotAnExport(f"it is not an export I know. Headers seen: {seen}. Formats I know: {KNOWN}")


def _detect_workbook(book: Workbook) -> Format:
    sheets = {norm(s) for s in book.sheet_names}
    for candidate in FORMATS:
        if candidate.sheets and all(norm(s) in sheets for s in candidate.sheets):
            return candidate
    if norm(linkedin_creator.TOP_POSTS_SHEET) in sheets or norm("DISCOVERY") in sheets:
        missing = [
            s
            for s in (linkedin_creator.ENGAGEMENT_SHEET, linkedin_creator.TOP_POSTS_SHEET)
            if norm(s) not in sheets
        ]
        raise NotAnExport(
            f"it looks like a LinkedIn creator analytics export, but sheet "
            f"{', '.join(repr(m) for m in missing)} is missing"
        )
    if norm(linkedin_page.METRICS_SHEET) in sheets:
        raise NotAnExport(
            f"it looks like a LinkedIn Page content export, but sheet "
            f"{linkedin_page.POSTS_SHEET!r} is missing"
        )
    names = ", ".join(repr(s) for s in book.sheet_names[:20]) or "none"
    raise NotAnExport(f"it is not an export I know. Sheets seen: {names}. Formats I know: {KNOWN}")


def _show(cell: object) -> str:
    value = str(cell or "").replace("\x00", "").strip()
    return value[:40]
