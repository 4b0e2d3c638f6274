"""Does importing an export cost about what reading it does, and does memory stay flat?

Writes a 50,000-post Meta Business Suite Facebook export (BOM, captions with embedded newlines,
quoting only where needed) and a 50,000-post X account_analytics_content export, then for each:

- parse: the same reader the import uses (bot.analytics.tables: csv over UTF-8-sig, streamed),
  every row read and every cell touched, nothing else;
- import: bot.analytics.service.import_file into a fresh database (SQLite file by default, or
  --database-url), one transaction, as `python -m bot metrics import` runs it;
- re-import: the same file again (every post unchanged).

Prints each time (median of --repeats), the import/parse ratio beside the target (<= 2x), and
the peak memory of the import (tracemalloc, in a separate run so tracing does not skew the
times) at 10,000 and at 50,000 posts: flat means rows are streamed and writes batched.
It prints figures; it never fails on them.

Run from the repo root: python bench/metrics.py [--posts 50000] [--repeats 3]
"""

from __future__ import annotations

import argparse
import csv
import gc
import platform
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import text

from bot.analytics.service import import_file
from bot.analytics.tables import open_workbook
from bot.organisation.service import load_organisation
from bot.organisation.spec import parse_organisation
from storage.db import make_engine, session_scope
from storage.migrate import upgrade

TIMEZONE = ZoneInfo("Europe/London")
NOW = datetime(2027, 2, 1, 9, 0, tzinfo=UTC)
TWITTER_EPOCH_MS = 1_288_834_974_657
ORGANISATION = """
name = "Bench"
timezone = "Europe/London"
leadership_channel = "C0LEADERS"
overall_coordinators = ["U0OVERALL"]

[[departments]]
name = "Marketing"
review_channel = "C0REVIEW"
coordinators = ["U0LEAD"]

[[accounts]]
platform = "facebook"
handle = "acme"

[[accounts]]
platform = "x"
handle = "acme"
"""

FACEBOOK_HEADER = (
    "Post ID,Page ID,Page name,Title,Description,Duration (sec),Publish time,Caption type,"
    "Permalink,Is crosspost,Is share,Post type,Languages,Custom labels,Funded content status,"
    "Data comment,Date,Views,Reach,Reactions,Comments,Shares,Total clicks,Link Clicks,"
    "Other Clicks,Seconds viewed,Average Seconds viewed"
)
X_HEADER = (
    "Post id,Date,Post text,Post Link,Impressions,Likes,Engagements,Bookmarks,Shares,"
    "New follows,Replies,Reposts,Profile visits,Detail Expands,URL Clicks,Hashtag Clicks,"
    "Permalink Clicks"
)
TYPES = ("Photos", "Videos", "Reels", "Links", "Text")


def write_facebook(path: Path, posts: int) -> Path:
    start = datetime(2024, 1, 1, 8, 0)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        out = csv.writer(handle, lineterminator="\r\n")
        handle.write(FACEBOOK_HEADER + "\r\n")
        for n in range(posts):
            at = start + timedelta(minutes=37 * n)
            caption = f'Post {n}: what we learnt this week, "in brief".\nRead more below 👇 #acme'
            out.writerow(
                [
                    f"1221{n:015d}",
                    "100064000000001",
                    "Acme",
                    "" if n % 3 else f"Title {n}",
                    caption,
                    "" if n % 5 != 1 else "45",
                    f"{at:%m/%d/%Y %H:%M}",
                    "",
                    f"https://www.facebook.com/acme/posts/pfbid0{n:012d}",
                    "No",
                    "No",
                    TYPES[n % 5],
                    "English",
                    "",
                    "",
                    "",
                    "Lifetime",
                    1000 + n % 9000,
                    800 + n % 7000,
                    n % 300,
                    n % 40,
                    n % 25,
                    n % 120,
                    n % 60,
                    n % 60,
                    "",
                    "",
                ]
            )
    return path


def write_x(path: Path, posts: int) -> Path:
    start = datetime(2024, 1, 1, 8, 0, tzinfo=UTC)
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle, lineterminator="\n")
        handle.write(X_HEADER + "\n")
        for n in range(posts):
            at = start + timedelta(minutes=37 * n)
            ms = int(at.timestamp() * 1000)
            post_id = str(((ms - TWITTER_EPOCH_MS) << 22) | (n % 4096))
            out.writerow(
                [
                    post_id,
                    f"{at:%a}, {at:%b} {at.day}, {at.year}",
                    f"Thread {n}: a thought worth sharing.\nhttps://t.co/abc{n}",
                    f"https://x.com/acme/status/{post_id}",
                    1500 + n % 5000,
                    n % 90,
                    n % 200,
                    n % 12,
                    n % 7,
                    n % 5,
                    n % 30,
                    n % 20,
                    n % 15,
                    n % 40,
                    n % 25,
                    0,
                    n % 3,
                ]
            )
    return path


def parse_only(path: Path) -> int:
    """The reader alone: every row, every cell touched."""
    book = open_workbook(path)
    cells = 0
    try:
        for row in book.rows(""):
            for cell in row:
                cells += len(cell)
    finally:
        book.close()
    return cells


def fresh_database(url: str | None, folder: Path, name: str) -> str:
    db = f"sqlite:///{folder / (name + '.db')}" if url is None else url
    engine = make_engine(db)
    upgrade(engine)
    with session_scope(engine) as session:
        if url is not None:
            session.connection().execute(
                text("TRUNCATE metric_day, metric_post, metric_import RESTART IDENTITY CASCADE")
            )
        load_organisation(session=session, spec=parse_organisation(ORGANISATION), now=NOW)
    engine.dispose()
    return db


def run_import(db: str, path: Path) -> None:
    engine = make_engine(db)
    try:
        with session_scope(engine) as session:
            import_file(
                session=session,
                path=path,
                source=path.name,
                timezone=TIMEZONE,
                imported_by="bench",
                now=NOW,
            )
    finally:
        engine.dispose()


def timed(action: Callable[[], object]) -> float:
    gc.collect()
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def peak_memory(action: Callable[[], object]) -> float:
    gc.collect()
    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1] / (1024 * 1024)
    finally:
        tracemalloc.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=50_000)
    parser.add_argument("--small", type=int, default=10_000, help="the memory comparison's size")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    args = parser.parse_args()
    print(f"python {platform.python_version()} on {platform.machine()}, database: "
          f"{'PostgreSQL' if args.database_url else 'SQLite file'}")  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="bench-metrics-") as tmp:
        folder = Path(tmp)
        for label, writer in (("Facebook", write_facebook), ("X", write_x)):
            path = writer(folder / f"{label.lower()}_{args.posts}.csv", args.posts)
            size = path.stat().st_size / (1024 * 1024)
            parses, imports, reimports = [], [], []
            for repeat in range(args.repeats):
                parses.append(timed(lambda p=path: parse_only(p)))
                db = fresh_database(args.database_url, folder, f"{label}{repeat}")
                imports.append(timed(lambda d=db, p=path: run_import(d, p)))
                reimports.append(timed(lambda d=db, p=path: run_import(d, p)))
            parse, imported, again = (statistics.median(x) for x in (parses, imports, reimports))
            print(f"\n{label} export: {args.posts:,} posts, {size:.1f} MB")
            print(f"  parse (reader only)   {parse:7.2f} s")
            print(f"  import (new posts)    {imported:7.2f} s   ratio {imported / parse:4.2f}x"
                  "   (target <= 2x)")  # fmt: skip
            print(f"  re-import (unchanged) {again:7.2f} s   ratio {again / parse:4.2f}x")
            small = writer(folder / f"{label.lower()}_{args.small}.csv", args.small)
            peaks = []
            for count, file in ((args.small, small), (args.posts, path)):
                db = fresh_database(args.database_url, folder, f"{label}mem{count}")
                peaks.append((count, peak_memory(lambda d=db, p=file: run_import(d, p))))
            (n1, m1), (n2, m2) = peaks
            print(f"  peak memory of import {n1:>7,} posts {m1:6.1f} MB; {n2:,} posts "
                  f"{m2:6.1f} MB ({m2 / m1:.2f}x for {n2 / n1:.0f}x the rows)")  # fmt: skip


if __name__ == "__main__":
    main()
