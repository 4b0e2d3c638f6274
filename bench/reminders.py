"""Does the reminder job cost what is due, or what is scheduled?

200 departments, 5,000 contributors in five timezones, and a year of slots (100,000 by default),
imported through bot.schedule.service.import_schedule so each slot is filed for reminders the
way production files it. One reminder run (jobs.registry.run_job) against the fake Slack Web
API, then the same run against a schedule with 10x fewer slots but exactly the same slots due a
reminder at that moment, each in a fresh SQLite database.

The measured run is at 09:00 Europe/London on a weekday (a Thursday by default), with the job
having run 15 minutes earlier, so it shows the steady state of a job that runs every 15 minutes:
timezones cached, every filed slot re-planned to its exact next reminder. That "previous run" is
the cold one (users.list, every newly imported slot looked at) and is reported on its own. The
measured run is repeated from a snapshot of each database, big and small interleaved, and the
median is shown. Seeding is timed separately and is no part of any run.

On a Thursday or Friday nothing is first filed for 09:00 London (first looks fall 2 days before
a working-day 09:00, so on Saturday to Wednesday), so the slots read are exactly the due ones; on
Monday to Wednesday (--day) the run also reads the day's newly filed slots, which do grow with
the schedule.

Prints the wall time, database queries (before_cursor_execute; an executemany counts once) and
Web API calls by method of both runs, their ratio, and Web API calls per contributor with
something due, next to the targets from the issue. It prints figures; it never fails on them.

Run from the repo root: python bench/reminders.py
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import event, func, update
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from bot.app import make_client
from bot.config import Settings, load_settings
from bot.organisation.service import load_organisation
from bot.organisation.spec import parse_organisation
from bot.runtime import Runtime
from bot.schedule.service import import_schedule
from bot.schedule.status import SlotStatus
from bot.testing.clock import FixedClock
from bot.testing.fake_slack import FakeSlack
from jobs.registry import run_job
from storage.db import make_engine
from storage.models import Slot

SIGNING_SECRET = "bench-signing-secret-0123456789abcdef"
BOT_TOKEN = "xoxb-1-bench-token"
ORG_TIMEZONE = "Europe/London"

DEPARTMENTS = 200
CONTRIBUTORS_PER_DEPARTMENT = 25
SLOTS = 100_000
SCALE_DOWN = 10
# A Thursday: London is on UTC in February. 09:00 London is when its contributors' reminders go.
RUN_DAY = date(2027, 2, 11)
PREVIOUS_RUN = timedelta(minutes=15)  # the job runs every 15 minutes
REPEATS = 5
IMPORT_CHUNK = 5_000  # rows per import_schedule call (one transaction each)

# Contributor n of every department lives in TIMEZONES[(n - 1) % 5]: 1,000 people in each.
TIMEZONES = (
    "Europe/London",
    "America/New_York",
    "Asia/Tokyo",
    "Asia/Kolkata",
    "Australia/Sydney",
)
# The reminders due at the measured run: these many London contributors per department, each
# with a post due in 7 days; every 2nd also one due in 2 days, every 3rd also one due today.
DUE_CONTRIBUTORS_PER_DEPARTMENT = 3
# No other London slot is due within this many days of the run, so nothing else of theirs
# falls due at 09:00 London that day; other timezones' reminders are never at that moment.
KEEP_CLEAR = (timedelta(days=-1), timedelta(days=10))

# Targets from the issue.
TARGET_CALLS_PER_CONTRIBUTOR = 1.0  # "Web API calls ≈ one per contributor with something due"
TARGET_RATIO = 1.0  # "ratio close to 1 when only the due slots are the same"
TOLERANCE = 0.25  # what "≈" and "close to" are taken to mean here

PLATFORMS = ("linkedin", "x", "instagram", "facebook", "linkedin", "x", "youtube", "bluesky")
TOPICS = (
    "Meet the team: a day in the life",
    "Customer story and lessons learned",
    "Event recap with photos from the day",
    "Behind the scenes of this month's project",
    "Tips and tricks from our experts",
    "Job opening: we are hiring",
    "Webinar invite: register now",
    "Milestone celebration and thank-yous",
    "Research highlight in plain language",
    "Throwback to where it all started",
)


# --- the organisation ----------------------------------------------------------------------------


def department_name(department: int) -> str:
    return f"Department {department:03d}"


def coordinator_of(department: int) -> str:
    return f"U{department:03d}LEAD"


def contributor_of(department: int, number: int) -> str:
    return f"U{department:03d}C{number:02d}"


def timezone_of(number: int) -> str:
    return TIMEZONES[(number - 1) % len(TIMEZONES)]


def london_numbers() -> list[int]:
    return [n for n in range(1, CONTRIBUTORS_PER_DEPARTMENT + 1) if timezone_of(n) == ORG_TIMEZONE]


def elsewhere_numbers() -> list[int]:
    return [n for n in range(1, CONTRIBUTORS_PER_DEPARTMENT + 1) if timezone_of(n) != ORG_TIMEZONE]


def organisation_toml() -> str:
    lines = [
        'name = "Acme Global"',
        f'timezone = "{ORG_TIMEZONE}"',
        'leadership_channel = "C0LEADERS"',
        'overall_coordinators = ["U0OVERALL"]',
    ]
    for d in range(1, DEPARTMENTS + 1):
        contributors = ", ".join(
            f'"{contributor_of(d, n)}"' for n in range(1, CONTRIBUTORS_PER_DEPARTMENT + 1)
        )
        lines += [
            "",
            "[[departments]]",
            f'name = "{department_name(d)}"',
            f'review_channel = "C{d:03d}REVIEW"',
            f'coordinators = ["{coordinator_of(d)}"]',
            f"contributors = [{contributors}]",
        ]
    return "\n".join(lines) + "\n"


def add_people(fake: FakeSlack) -> int:
    fake.add_user("U0OVERALL", tz=ORG_TIMEZONE)
    for d in range(1, DEPARTMENTS + 1):
        fake.add_user(coordinator_of(d), tz=ORG_TIMEZONE)
        for n in range(1, CONTRIBUTORS_PER_DEPARTMENT + 1):
            fake.add_user(contributor_of(d, n), tz=timezone_of(n))
    return len(fake.users)


# --- the schedule --------------------------------------------------------------------------------

Row = tuple[
    int, datetime, str, str, str
]  # department, due (London wall time), platform, topic, who


def due_now_rows(day: date) -> list[Row]:
    """Slots whose reminder is due at 09:00 London on `day`, for London contributors: due in 7
    days (stage d7), in 2 days (d2) and later today (d0)."""
    rows: list[Row] = []
    person = 0
    for d in range(1, DEPARTMENTS + 1):
        for n in london_numbers()[:DUE_CONTRIBUTORS_PER_DEPARTMENT]:
            who, hour = contributor_of(d, n), 10 + person % 6
            rows.append(
                (d, at_hour(day + timedelta(days=7), hour), "linkedin", f"d7 #{person}", who)
            )
            if person % 2 == 0:
                rows.append((d, at_hour(day + timedelta(days=2), hour), "x", f"d2 #{person}", who))
            if person % 3 == 0:
                rows.append((d, at_hour(day, 15), "instagram", f"d0 #{person}", who))
            person += 1
    return rows


def filler_rows(count: int, year: int, day: date) -> Iterator[Row]:
    """`count` more slots spread evenly over the year, 09:00-17:45 London time, none of them
    a London contributor's near the run."""
    first, days = date(year, 1, 1), (date(year + 1, 1, 1) - date(year, 1, 1)).days
    clear_from, clear_until = day + KEEP_CLEAR[0], day + KEEP_CLEAR[1]
    london, elsewhere = london_numbers(), elsewhere_numbers()
    for i in range(count):
        due_day = first + timedelta(days=i * days // count)
        d = i % DEPARTMENTS + 1
        turn = i // DEPARTMENTS
        if clear_from <= due_day <= clear_until:
            number = elsewhere[turn % len(elsewhere)]
        else:
            number = (london + elsewhere)[turn % CONTRIBUTORS_PER_DEPARTMENT]
        due = datetime.combine(due_day, clock_time(9 + i % 9, (i * 15) % 60))
        topic = f"{TOPICS[i % len(TOPICS)]} (#{i + 1})"
        yield d, due, PLATFORMS[i % len(PLATFORMS)], topic, contributor_of(d, number)


def at_hour(day: date, hour: int) -> datetime:
    return datetime.combine(day, clock_time(hour))


def csv_chunks(rows: Sequence[Row], size: int) -> Iterator[str]:
    header = "department,due,platform,topic,contributor"
    for start in range(0, len(rows), size):
        lines = [
            f"{department_name(d)},{due:%Y-%m-%dT%H:%M},{where},{topic},{who}"
            for d, due, where, topic, who in rows[start : start + size]
        ]
        yield "\n".join([header, *lines]) + "\n"


# --- seeding and measuring -----------------------------------------------------------------------


@dataclass
class QueryCounter:
    """Statements sent to the database, by their first word, and the time spent in them."""

    counts: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    _started: float = 0.0

    def attach(self, engine: Engine) -> QueryCounter:
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)
        return self

    def detach(self, engine: Engine) -> None:
        event.remove(engine, "before_cursor_execute", self._before)
        event.remove(engine, "after_cursor_execute", self._after)

    def _before(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        self.counts[statement.lstrip().split(None, 1)[0].upper()] += 1
        self._started = time.perf_counter()  # the job runs on one thread

    def _after(self, *_args: Any) -> None:
        self.seconds += time.perf_counter() - self._started


@dataclass(frozen=True)
class Run:
    wall_s: float
    cpu_s: float  # this thread only: the job, not the fake Slack's threads
    db_s: float  # inside cursor.execute
    queries: Counter[str]
    calls: Counter[str]
    summary: str
    due_slots: int  # planned slots with next_nudge_at <= the run's moment, just before it
    due_people: int

    @property
    def digests(self) -> int:
        return self._figure(r"(\d+) digests sent")

    @property
    def reminders(self) -> int:
        return self._figure(r"\((\d+) reminders\)")

    @property
    def checked(self) -> int:
        return self._figure(r"(\d+) slots checked")

    def _figure(self, pattern: str) -> int:
        found = re.search(pattern, self.summary)
        return int(found.group(1)) if found else 0


def median_run(runs: Sequence[Run]) -> Run:
    """The run with the median wall time (the counts are the same in every repeat)."""
    ordered = sorted(runs, key=lambda r: r.wall_s)
    return ordered[(len(ordered) - 1) // 2]


@dataclass
class Schedule:
    """One seeded database, after the previous run, kept as a snapshot to measure from."""

    slots: int
    settings: Settings
    path: Path
    snapshot: Path
    at: datetime
    seeded_s: float
    previous: Run  # the cold run 15 minutes before
    warm: Runtime  # what the scheduler process holds in memory after the previous run
    runs: list[Run] = field(default_factory=list)


def settings_for(fake: FakeSlack, database_url: str) -> Settings:
    return load_settings(
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=fake.api_url,
        DATABASE_URL=database_url,
    )


def seed(settings: Settings, slots: int, day: date, at: datetime) -> int:
    """Load the organisation, import the year in CSV chunks, publish what is past. Returns how
    many slots were imported."""
    runtime = Runtime.start(settings)
    with runtime.session() as session:
        load_organisation(session=session, spec=parse_organisation(organisation_toml()), now=at)
    rows = due_now_rows(day)
    rows += filler_rows(slots - len(rows), day.year, day)
    rows.sort(key=lambda r: r[1])
    imported = 0
    for number, text in enumerate(csv_chunks(rows, IMPORT_CHUNK), start=1):
        with runtime.session() as session:
            summary = import_schedule(
                session=session, text=text, source=f"year-part-{number}.csv", now=at
            )
        imported += summary.added
    # What was due before the run has been published; everything ahead is still planned.
    with runtime.session() as session:
        session.exec(  # type: ignore[call-overload]
            update(Slot).where(col(Slot.due_at) < at).values(status=SlotStatus.PUBLISHED.value)
        )
    runtime.engine.dispose()
    return imported


def due_count(engine: Engine, at: datetime) -> tuple[int, int]:
    with engine.connect() as connection:
        query = select(func.count(), func.count(func.distinct(Slot.contributor_id))).where(
            col(Slot.next_nudge_at) <= at, col(Slot.status) == SlotStatus.PLANNED.value
        )
        slots, people = connection.execute(query).one()
    return int(slots), int(people)


def measure(runtime: Runtime, fake: FakeSlack, at: datetime) -> Run:
    """One reminder run at `at`: wall and CPU time, queries and Web API calls."""
    client = make_client(runtime.settings)
    slots, people = due_count(runtime.engine, at)
    counter = QueryCounter().attach(runtime.engine)
    fake.reset()
    cpu, started = time.thread_time(), time.perf_counter()
    summary = run_job("reminders", runtime=runtime, client=client, at=at)
    wall = time.perf_counter() - started
    cpu = time.thread_time() - cpu
    calls = Counter(c.method for c in fake.calls)
    fake.reset()
    counter.detach(runtime.engine)
    return Run(wall, cpu, counter.seconds, counter.counts, calls, summary, slots, people)


def prepare(fake: FakeSlack, workdir: Path, slots: int, day: date) -> Schedule:
    """Seed a fresh database, run the job 15 minutes early (cold), and snapshot the result."""
    at = datetime.combine(day, clock_time(9), ZoneInfo(ORG_TIMEZONE)).astimezone(UTC)
    path = workdir / f"slots-{slots}.db"
    settings = settings_for(fake, f"sqlite:///{path}")
    started = time.perf_counter()
    seed(settings, slots, day, at)
    seeded_s = time.perf_counter() - started

    warm = Runtime(settings=settings, engine=make_engine(settings.database_url))
    warm.clock = FixedClock(at - PREVIOUS_RUN)
    previous = measure(warm, fake, at - PREVIOUS_RUN)
    with warm.engine.connect() as connection:  # fold the WAL in: the file alone is the snapshot
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    warm.engine.dispose()
    snapshot = workdir / f"slots-{slots}-snapshot.db"
    shutil.copyfile(path, snapshot)
    return Schedule(slots, settings, path, snapshot, at, seeded_s, previous, warm)


def measure_again(schedule: Schedule, fake: FakeSlack) -> None:
    """The run at `at`, from the snapshot, with what the scheduler process would have cached."""
    path = schedule.path
    for stale in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        stale.unlink(missing_ok=True)
    shutil.copyfile(schedule.snapshot, path)
    runtime = Runtime(
        settings=schedule.settings,
        engine=make_engine(schedule.settings.database_url),
        clock=FixedClock(schedule.at),
        directory=schedule.warm.directory,  # same organisation revision: the cache holds
        timezones=dict(schedule.warm.timezones),
    )
    try:
        schedule.runs.append(measure(runtime, fake, schedule.at))
    finally:
        runtime.engine.dispose()


# --- reporting -----------------------------------------------------------------------------------


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def ratio(big: float, small: float) -> float:
    return big / small if small else float("nan")


LABEL = 44
WIDTH = 14
QUERY_ORDER = ("SELECT", "INSERT", "UPDATE", "DELETE")
CALL_ORDER = ("chat.postMessage", "users.list", "users.info")


def line(label: str, big: str, small: str, note: str = "") -> str:
    return f"  {label:<{LABEL}}{big:>{WIDTH}}{small:>{WIDTH}}  {note}".rstrip()


def figure(label: str, big: float, small: float, unit: str = "", note: str = "") -> str:
    if unit == "s":
        text_big, text_small = f"{big:.2f} s", f"{small:.2f} s"
    else:
        text_big, text_small = f"{big:,.0f}", f"{small:,.0f}"
    return line(label, text_big, text_small, f"ratio {ratio(big, small):.2f}{note}")


def counts(title: str, big: Counter[str], small: Counter[str], order: Sequence[str]) -> None:
    print(figure(title, sum(big.values()), sum(small.values())))
    keys = [k for k in order if k in big or k in small]
    keys += sorted((big.keys() | small.keys()) - set(keys))
    for key in keys:
        print(line(f"  {key}", f"{big[key]:,}", f"{small[key]:,}"))


def run_lines(big: Run, small: Run, note: str = "") -> None:
    print(line("slots read (planned, next_nudge_at <= now)", f"{big.due_slots:,}",
               f"{small.due_slots:,}"))  # fmt: skip
    print(line("  their contributors", f"{big.due_people:,}", f"{small.due_people:,}"))
    print(line("slots checked (job summary)", f"{big.checked:,}", f"{small.checked:,}"))
    print(line("digests sent", f"{big.digests:,}", f"{small.digests:,}"))
    print(line("  reminders in them", f"{big.reminders:,}", f"{small.reminders:,}"))
    print(figure("wall time", big.wall_s, small.wall_s, "s", note))
    print(figure("  CPU of the job's thread", big.cpu_s, small.cpu_s, "s"))
    print(figure("  inside cursor.execute", big.db_s, small.db_s, "s"))
    counts("database queries", big.queries, small.queries, QUERY_ORDER)
    counts("Web API calls", big.calls, small.calls, CALL_ORDER)


def report(big: Schedule, small: Schedule, people: int, day: date, load: float) -> None:
    local = big.at.astimezone(ZoneInfo(ORG_TIMEZONE))
    contributors = DEPARTMENTS * CONTRIBUTORS_PER_DEPARTMENT
    repeats = len(big.runs)
    print(f"socialbot reminder job benchmark: one run at {local:%a %Y-%m-%d %H:%M} {ORG_TIMEZONE}")
    print(
        f"  organisation: {DEPARTMENTS} departments, {contributors:,} contributors, "
        f"{people:,} people in Slack, in {len(TIMEZONES)} timezones ({', '.join(TIMEZONES)})"
    )
    print(
        f"  due then in both schedules: {len(due_now_rows(day)):,} slots of "
        f"{DEPARTMENTS * DUE_CONTRIBUTORS_PER_DEPARTMENT:,} London contributors (7 days, 2 days "
        "and hours ahead)"
    )
    print(
        f"  machine: Python {platform.python_version()}, {os.cpu_count()} CPUs, load average "
        f"{load:.2f} at start, {os.getloadavg()[0]:.2f} at the end; SQLite (WAL) in a temp dir; "
        "the fake Slack runs in this process"
    )
    print()
    print(line("", "big", "small"))
    print(figure("slots in the year", big.slots, small.slots))
    print(figure(f"seeding (import_schedule, {IMPORT_CHUNK:,}-row chunks)", big.seeded_s,
                 small.seeded_s, "s", "  (not part of any run)"))  # fmt: skip
    print()
    print(
        f"previous run at {big.at - PREVIOUS_RUN:%H:%M} UTC, cold: no timezones cached, every "
        "newly filed slot re-planned"
    )
    run_lines(big.previous, small.previous)
    print()
    b, s = median_run(big.runs), median_run(small.runs)
    print(
        f"measured run at {big.at:%H:%M} UTC, steady state: median of {repeats}, big and small "
        "interleaved, each from its snapshot"
    )
    run_lines(b, s, f"  target ≈ {TARGET_RATIO:.0f}")
    walls = "  ".join(
        f"{x.wall_s:.2f}/{y.wall_s:.2f}" for x, y in zip(big.runs, small.runs, strict=True)
    )
    print(f"  wall time of every repeat, big/small (s): {walls}")
    print()
    wall_ratio = ratio(b.wall_s, s.wall_s)
    cpu_ratio = ratio(b.cpu_s, s.cpu_s)
    query_ratio = ratio(sum(b.queries.values()), sum(s.queries.values()))
    call_ratio = ratio(sum(b.calls.values()), sum(s.calls.values()))
    print(
        f"ratio big/small ({SCALE_DOWN}x the slots, the same ones due): wall time "
        f"{wall_ratio:.2f}, job CPU {cpu_ratio:.2f}, database queries {query_ratio:.2f}, "
        f"Web API calls {call_ratio:.2f}"
    )
    print(
        f"  target: close to {TARGET_RATIO:.0f} (taken as ≤ {TARGET_RATIO + TOLERANCE:.2f}): "
        f"wall time {verdict(wall_ratio <= TARGET_RATIO + TOLERANCE)}, "
        f"queries {verdict(query_ratio <= TARGET_RATIO + TOLERANCE)}"
    )
    due_people = DEPARTMENTS * DUE_CONTRIBUTORS_PER_DEPARTMENT  # known from the seeding
    for label, schedule in (("big", big), ("small", small)):
        run, cold = median_run(schedule.runs), schedule.previous
        per = ratio(sum(run.calls.values()), due_people)
        posts = ratio(run.calls["chat.postMessage"], due_people)
        cold_per = ratio(sum(cold.calls.values()), cold.digests)
        cold_calls = ", ".join(f"{m} {n:,}" for m, n in cold.calls.most_common())
        print(
            f"Web API calls per contributor with something due, {label}: {per:.2f} "
            f"({sum(run.calls.values()):,} calls for {due_people:,} contributors; "
            f"chat.postMessage {posts:.2f})  target ≈ {TARGET_CALLS_PER_CONTRIBUTOR:.0f}: "
            f"{verdict(abs(per - TARGET_CALLS_PER_CONTRIBUTOR) <= TOLERANCE)}"
        )
        print(
            f"  previous (cold) run: {cold_per:.2f} per contributor sent a digest "
            f"({cold_calls or 'no calls'}; {cold.digests:,} digests)"
        )
    print(
        f"per digest sent (measured, big): {ratio(sum(b.queries.values()), b.digests):.1f} "
        f"queries, {ratio(b.wall_s * 1000, b.digests):.1f} ms wall, "
        f"{ratio(b.db_s * 1000, b.digests):.1f} ms in the database"
    )


def weekday(text: str) -> date:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2027-02-11") from None
    if day.weekday() >= 5:
        raise argparse.ArgumentTypeError(f"{text} is a weekend day: reminders go on weekdays")
    return day


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--slots",
        type=int,
        default=SLOTS,
        help=f"slots in the big schedule; the small one has {SCALE_DOWN}x fewer "
        f"(default {SLOTS:,})",
    )
    parser.add_argument(
        "--day",
        type=weekday,
        default=RUN_DAY,
        help=f"the weekday of the run, at 09:00 {ORG_TIMEZONE} (default {RUN_DAY})",
    )
    parser.add_argument(
        "--repeats",
        type=int,
        choices=range(1, 21),
        default=REPEATS,
        metavar="1..20",
        help=f"measured runs per schedule, interleaved (default {REPEATS})",
    )
    args = parser.parse_args(argv)
    least = len(due_now_rows(args.day)) * SCALE_DOWN
    if args.slots < least:
        parser.error(f"--slots must be at least {least:,} ({SCALE_DOWN}x the slots due)")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    load = os.getloadavg()[0]  # another busy process on the machine skews every figure
    with tempfile.TemporaryDirectory(prefix="socialbot-bench-") as tmp, FakeSlack() as fake:
        people = add_people(fake)
        workdir = Path(tmp)
        big = prepare(fake, workdir, args.slots, args.day)
        small = prepare(fake, workdir, args.slots // SCALE_DOWN, args.day)
        for number in range(args.repeats):
            # Alternate which goes first, so drift in the machine hits both alike.
            for schedule in (big, small) if number % 2 == 0 else (small, big):
                measure_again(schedule, fake)
        report(big, small, people, args.day, load)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
