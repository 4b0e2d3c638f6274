"""Spreadsheet exports as LinkedIn writes them, built for the tests: .xls (xlwt, BIFF8 as
LinkedIn serves) and .xlsx (openpyxl), description sentence in row 1, numbers and dates as text
where LinkedIn writes text, two side-by-side top-50 tables in the creator export."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import xlwt

# Activity ids whose first 41 bits are the creation time (see bot/analytics/linkedin_page.py).
PAGE_POST_1 = "7533839882649600011"  # 2026-12-02 10:30 UTC
PAGE_POST_2 = "7536429445939200012"  # 2026-12-09 14:00 UTC
PAGE_POST_3 = "7538886888652800013"  # 2026-12-16 08:45 UTC
CREATOR_POST_1 = "7536686137344000021"  # 2026-12-10 07:00 UTC
CREATOR_POST_2 = "7539393980006400022"  # 2026-12-17 18:20 UTC

POSTS_HEADER = [
    "Post title",
    "Post link",
    "Post type",
    "Campaign name",
    "Posted by",
    "Created date",
    "Campaign start date",
    "Campaign end date",
    "Audience",
    "Impressions",
    "Views (excluding off-site video views)",
    "Off-site views",
    "Clicks",
    "Click through rate (CTR)",
    "Likes",
    "Comments",
    "Reposts",
    "Follows",
    "Engagement rate",
    "Content Type",
]
METRICS_HEADER = [
    "Date",
    "Impressions (organic)",
    "Impressions (sponsored)",
    "Impressions (total)",
    "Unique impressions (organic)",
    "Clicks (organic)",
    "Clicks (sponsored)",
    "Clicks (total)",
    "Reactions (organic)",
    "Reactions (sponsored)",
    "Reactions (total)",
    "Comments (organic)",
    "Comments (sponsored)",
    "Comments (total)",
    "Reposts (organic)",
    "Reposts (sponsored)",
    "Reposts (total)",
    "Engagement rate (organic)",
    "Engagement rate (sponsored)",
    "Engagement rate (total)",
]


def _post(
    title: str, post_id: str, kind: str, created: str, numbers: list[Any], content: str
) -> list[Any]:
    link = f"https://www.linkedin.com/feed/update/urn:li:activity:{post_id}"
    impressions, clicks, likes, comments, reposts, follows = numbers
    ctr = clicks / impressions if impressions else 0
    rate = (clicks + likes + comments + reposts) / impressions if impressions else 0
    return [
        title, link, kind, "", "Maya Chen", created, "", "", "All followers",
        impressions, "", "", clicks, ctr, likes, comments, reposts, follows, rate, content,
    ]  # fmt: skip


def page_content_sheets(impressions_first: int = 1520) -> dict[str, list[list[Any]]]:
    posts = [
        ["All posts, with their metrics, that were created within the selected time range. "
         "Metrics are as of the time of export."],
        POSTS_HEADER,
        _post("Product tips for the new year\nPart 1", PAGE_POST_1, "Organic", "12/02/2026",
              [impressions_first, 40, 55, 6, 4, 2], "Image"),
        _post("Webinar: what's next", PAGE_POST_2, "Sponsored", "12/09/2026",
              [8000, 300, 120, 14, 9, 11], "Video"),
        _post("Our year in numbers", PAGE_POST_3, "Organic", "12/16/2026",
              [2100, 60, 70, 3, 5, 1], "Document"),
    ]  # fmt: skip
    metrics = [
        ["Aggregated metrics for all content within the selected time range."],
        METRICS_HEADER,
    ]
    for day, imp, clicks, reactions in (("12/01/2026", 900, 20, 30), ("12/02/2026", 1400, 45, 52)):
        metrics.append(
            [day, imp, 0, imp, imp // 2, clicks, 0, clicks, reactions, 0, reactions,
             3, 0, 3, 2, 0, 2, 0.05, 0, 0.05]
        )  # fmt: skip
    return {"Metrics": metrics, "All posts": posts}


def followers_sheets() -> dict[str, list[list[Any]]]:
    return {
        "New followers": [
            ["Daily new followers, by source."],
            [
                "Date",
                "Sponsored followers",
                "Organic followers",
                "Auto-invited followers",
                "Total followers",
            ],
            ["12/01/2026", 0, 5, 0, 5],
            ["12/02/2026", 1, 7, 0, 8],
        ],
        "Location": [["Location", "Total followers"], ["London", 120]],
    }


def creator_sheets() -> dict[str, list[list[Any]]]:
    def url(post_id: str) -> str:
        return f"https://www.linkedin.com/feed/update/urn:li:activity:{post_id}/"

    return {
        "DISCOVERY": [
            ["Overall Performance", "12/1/2026 - 12/31/2026"],
            ["Impressions", "20,510"],
            ["Members reached", "9,877"],
        ],
        "ENGAGEMENT": [
            ["Date", "Impressions", "Engagements"],
            ["12/1/2026", "1,210", "35"],
            ["12/2/2026", "980", "22"],
        ],
        "TOP POSTS": [
            ["Maximum of 50 posts available to include in this list"],
            [],
            [
                "Post URL",
                "Post publish date",
                "Engagements",
                None,
                "Post URL",
                "Post publish date",
                "Impressions",
            ],
            [
                url(CREATOR_POST_2),
                "12/17/2026",
                "310",
                None,
                url(CREATOR_POST_1),
                "12/10/2026",
                "15,400",
            ],
            [
                url(CREATOR_POST_1),
                "12/10/2026",
                "240",
                None,
                url(CREATOR_POST_2),
                "12/17/2026",
                "9,800",
            ],
        ],
        "FOLLOWERS": [
            ["Total followers on 12/31/2026:", "4,321"],
            [],
            ["Date", "New followers"],
            ["12/1/2026", "12"],
            ["12/2/2026", "9"],
        ],
    }


def write_xlsx(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def write_xls(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    book = xlwt.Workbook(encoding="utf-8")
    for name, rows in sheets.items():
        sheet = book.add_sheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not None:
                    sheet.write(r, c, value)
    book.save(str(path))
    return path
