"""How fast does `serve` ack `/social schedule` under load, next to a bare Bolt app?

50 concurrent signed `/social schedule` requests against `python -m bot serve --no-scheduler`
with a realistic organisation (20 departments, 2,000 slots this month), and the same load
against a bare Bolt app (bench/bare_app.py) that acks and makes one Web API call, in the same
run, both served by bot.app.make_http_server (waitress, 16 threads) against a local fake Slack.

Prints p50/p99 ack latency of both and their ratio, the time until the schedule message reaches
the response_url, the size of that message, and the web process's resident memory. It prints
figures next to their targets; it never fails on them.

Run from the repo root: python bench/ack.py
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlmodel import select

from bot.organisation.service import load_organisation
from bot.organisation.spec import parse_organisation
from bot.schedule.service import import_schedule
from bot.schedule.status import SlotStatus
from bot.schedule.timing import Month
from bot.testing.fake_slack import Call, FakeSlack
from bot.testing.slack_requests import SlackRequests
from storage.db import make_engine, session_scope
from storage.migrate import upgrade
from storage.models import Slot

SIGNING_SECRET = "bench-signing-secret-0123456789abcdef"
BOT_TOKEN = "xoxb-1-bench-token"
TIMEZONE = "Europe/London"

DEPARTMENTS = 20
CONTRIBUTORS_PER_DEPARTMENT = 10
SLOTS_PER_DEPARTMENT = 100
CONCURRENCY = 50
ROUNDS = 5
WARMUP_REQUESTS = 5

# Targets from the issue.
TARGET_P99_RATIO = 1.2
TARGET_P99_MS = 300.0
TARGET_RSS_MB = 120.0

START_TIMEOUT_S = 60.0
REQUEST_TIMEOUT_S = 30.0
RESPONSE_TIMEOUT_S = 60.0

BARE_APP = Path(__file__).resolve().with_name("bare_app.py")
SERVE = ("-m", "bot", "serve", "--no-scheduler", "--host", "127.0.0.1")

DEPARTMENT_NAMES = (
    "Admissions",
    "Alumni Relations",
    "Careers",
    "Chemistry",
    "Communications",
    "Computer Science",
    "Economics",
    "Engineering",
    "Estates",
    "Finance",
    "History",
    "Human Resources",
    "Law School",
    "Library",
    "Marketing",
    "Medicine",
    "Music",
    "Physics",
    "Research Office",
    "Sport",
)
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


def coordinator_of(department: int) -> str:
    return f"U0D{department:02d}LEAD"


def contributor_of(department: int, number: int) -> str:
    return f"U0D{department:02d}C{number:02d}"


def people_of(department: int) -> list[str]:
    contributors = [
        contributor_of(department, n) for n in range(1, CONTRIBUTORS_PER_DEPARTMENT + 1)
    ]
    return [coordinator_of(department), *contributors]


def slug(name: str) -> str:
    return name.lower().replace(" ", "")


def organisation_toml() -> str:
    lines = [
        'name = "Acme University"',
        f'timezone = "{TIMEZONE}"',
        'leadership_channel = "C0LEADERS"',
        'overall_coordinators = ["U0OVERALL", "U0DEPUTY"]',
    ]
    for index, name in enumerate(DEPARTMENT_NAMES, start=1):
        contributors = ", ".join(f'"{u}"' for u in people_of(index)[1:])
        lines += [
            "",
            "[[departments]]",
            f'name = "{name}"',
            f'review_channel = "C0D{index:02d}REVIEW"',
            f'coordinators = ["{coordinator_of(index)}"]',
            f"contributors = [{contributors}]",
        ]
    for name in DEPARTMENT_NAMES:
        for platform_name, handle in (
            ("linkedin", f"acme-{slug(name)}"),
            ("x", f"acme_{slug(name)}"),
        ):
            lines += [
                "",
                "[[accounts]]",
                f'platform = "{platform_name}"',
                f'handle = "{handle}"',
                'kind = "organisation"',
                f'department = "{name}"',
            ]
    lines += ["", "[[accounts]]", 'platform = "linkedin"', 'handle = "acme-vc"', 'kind = "leader"']
    return "\n".join(lines) + "\n"


def schedule_csv(month: Month) -> str:
    """100 slots per department spread over the month, 09:00-17:45 local time."""
    days = (month.next().first_day - month.first_day).days
    rows = ["department,due,platform,topic,contributor,account"]
    for index, name in enumerate(DEPARTMENT_NAMES, start=1):
        people = people_of(index)
        for n in range(SLOTS_PER_DEPARTMENT):
            day = month.first_day.replace(day=1 + n * days // SLOTS_PER_DEPARTMENT)
            due = f"{day.isoformat()}T{9 + n % 9:02d}:{(n * 15) % 60:02d}"
            platform_name = PLATFORMS[n % len(PLATFORMS)]
            handle = {"linkedin": f"acme-{slug(name)}", "x": f"acme_{slug(name)}"}.get(
                platform_name, ""
            )
            topic = f"{TOPICS[n % len(TOPICS)]} (#{n + 1})"
            contributor = people[n % len(people)]
            rows.append(f"{name},{due},{platform_name},{topic},{contributor},{handle}")
    return "\n".join(rows) + "\n"


def seed(database_url: str, now: datetime) -> Month:
    """Migrate, load the organisation, import this month's schedule and age it realistically."""
    month = Month.containing(now, ZoneInfo(TIMEZONE))
    engine = make_engine(database_url)
    upgrade(engine)
    with session_scope(engine) as session:
        load_organisation(session=session, spec=parse_organisation(organisation_toml()), now=now)
    with session_scope(engine) as session:
        import_schedule(session=session, text=schedule_csv(month), source="bench.csv", now=now)
    # Slots already due have mostly been published; the rest are at every stage of review.
    rng = random.Random(2027)
    past = [SlotStatus.PUBLISHED] * 17 + [SlotStatus.LATE, SlotStatus.LATE, SlotStatus.CANCELLED]
    future = [
        SlotStatus.PLANNED,
        SlotStatus.PLANNED,
        SlotStatus.DRAFTED,
        SlotStatus.IN_REVIEW,
        SlotStatus.CHANGES_REQUESTED,
        SlotStatus.APPROVED,
    ]
    with session_scope(engine) as session:
        for slot in session.exec(select(Slot)):
            slot.status = rng.choice(past if slot.due_at < now else future).value
            session.add(slot)
    engine.dispose()
    return month


def burst_users(concurrency: int) -> tuple[list[str], list[str]]:
    """`concurrency` distinct people spread over all departments, and others to warm up with."""
    everyone = [people_of(d)[rank] for rank in range(CONTRIBUTORS_PER_DEPARTMENT + 1)
                for d in range(1, DEPARTMENTS + 1)]  # fmt: skip
    return everyone[:concurrency], everyone[concurrency : concurrency + WARMUP_REQUESTS]


# --- the servers ---------------------------------------------------------------------------------


@dataclass
class Target:
    name: str
    process: subprocess.Popen[bytes]
    port: int
    log: Path

    @property
    def events_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/slack/events"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def server_env(fake: FakeSlack, database_url: str, port: int) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("SLACK_") and k not in {"DATABASE_URL", "PORT", "LOG_FORMAT"}
    }
    env.update(
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=fake.api_url,
        DATABASE_URL=database_url,
        PORT=str(port),
        LOG_LEVEL="INFO",
        PYTHONUNBUFFERED="1",
    )
    return env


@contextmanager
def running(name: str, argv: Sequence[str], env: dict[str, str], workdir: Path) -> Iterator[Target]:
    """Start a server process (cwd = workdir, so no stray .env is read) and stop it after."""
    log = workdir / f"{name}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, *argv],
            cwd=workdir,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    target = Target(name, process, int(env["PORT"]), log)
    try:
        wait_until_healthy(target)
        yield target
    finally:
        stop(process)


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def wait_until_healthy(target: Target) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    url = f"http://127.0.0.1:{target.port}/healthz"
    while time.monotonic() < deadline:
        if target.process.poll() is not None:
            raise RuntimeError(
                f"{target.name} exited with {target.process.returncode}:\n{tail(target.log)}"
            )
        try:
            with urllib.request.urlopen(url, timeout=2) as reply:
                if reply.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.1)
    raise RuntimeError(
        f"{target.name} was not healthy after {START_TIMEOUT_S:.0f}s:\n{tail(target.log)}"
    )


def tail(path: Path, lines: int = 20) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def memory_mb(pid: int) -> dict[str, float]:
    """VmRSS (resident now) and VmHWM (peak resident) in MB (10^6 bytes), from /proc."""
    found: dict[str, float] = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in {"VmRSS", "VmHWM"}:
                found[key] = int(value.split()[0]) * 1024 / 1e6
    except OSError:
        pass
    return found


def cpu_seconds(pid: int) -> float:
    """User + system CPU time the process has used so far, from /proc/<pid>/stat."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return math.nan
    fields = stat.rsplit(")", 1)[1].split()  # after "pid (comm)"; utime and stime are 14 and 15
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# --- the load ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sample:
    key: str  # unique per request; the response_url path starts with /response/<key>/
    sent_at: float  # time.time(), comparable with the fake's Call.at
    ack_s: float
    status: int


@dataclass(frozen=True)
class Burst:
    samples: list[Sample]
    responses: dict[str, Call]  # by Sample.key
    users_info_calls: int

    @property
    def ack_ms(self) -> list[float]:
        return [s.ack_s * 1000 for s in self.samples]

    @property
    def e2e_ms(self) -> list[float]:
        return [
            (self.responses[s.key].at - s.sent_at) * 1000
            for s in self.samples
            if s.key in self.responses
        ]

    @property
    def failures(self) -> int:
        """Requests that were not acked with 200, or whose response_url post never came."""
        return sum(s.status != 200 or s.key not in self.responses for s in self.samples)


def send(target: Target, fake: FakeSlack, user: str, key: str) -> Sample:
    requests = SlackRequests(
        target.events_url, SIGNING_SECRET, response_base=f"{fake.base_url}/response/{key}"
    )
    sent_at = time.time()
    started = time.perf_counter()
    try:
        status = requests.command(user, "schedule", timeout=REQUEST_TIMEOUT_S).status
    except OSError:
        status = 0
    return Sample(key, sent_at, time.perf_counter() - started, status)


def burst(target: Target, fake: FakeSlack, users: Sequence[str], label: str) -> Burst:
    """All requests start together (a barrier), then we wait for every response_url post."""
    fake.reset()
    barrier = threading.Barrier(len(users))

    def one(user: str) -> Sample:
        barrier.wait(timeout=REQUEST_TIMEOUT_S)
        return send(target, fake, user, f"{target.name}-{label}-{user}")

    with ThreadPoolExecutor(max_workers=len(users), thread_name_prefix="client") as pool:
        samples = list(pool.map(one, users))
    responses = wait_for_responses(fake, {s.key for s in samples if s.status == 200})
    users_info = len(fake.calls_to("users.info"))
    fake.reset()
    return Burst(samples, responses, users_info)


def wait_for_responses(fake: FakeSlack, keys: set[str]) -> dict[str, Call]:
    deadline = time.monotonic() + RESPONSE_TIMEOUT_S
    found: dict[str, Call] = {}
    while time.monotonic() < deadline:
        for call in fake.calls_to("response_url"):
            key = str(call["response_url"]).removeprefix("/response/").rsplit("/", 1)[0]
            if key in keys:
                found.setdefault(key, call)
        if len(found) == len(keys):
            break
        time.sleep(0.01)
    return found


def warm_up(target: Target, fake: FakeSlack, users: Sequence[str]) -> None:
    for user in users:
        send(target, fake, user, f"{target.name}-warmup-{user}")
    wait_for_responses(fake, {f"{target.name}-warmup-{u}" for u in users})
    fake.reset()


# --- reporting -----------------------------------------------------------------------------------


def percentile(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile: the smallest value at least p% of samples are at or below."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


LABEL = 36


def heading(title: str) -> str:
    return f"{title:<{LABEL + 2}}{'p50':>9}{'p99':>9}{'max':>9}"


def row(label: str, values: Sequence[float], note: str = "") -> str:
    p50, p99, top = percentile(values, 50), percentile(values, 99), max(values, default=math.nan)
    return f"  {label:<{LABEL}}{p50:>6.0f} ms{p99:>6.0f} ms{top:>6.0f} ms  {note}".rstrip()


def schedule_shape(call: Call) -> str:
    args = {k: v for k, v in call.args.items() if k != "response_url"}
    size = len(json.dumps(args, ensure_ascii=False).encode())
    sections = sum(b.get("type") == "section" for b in call.blocks)
    title = call.blocks[0]["text"]["text"] if call.blocks else call.get("text", "")
    return f"{len(call.blocks)} blocks ({sections} sections), {size:,} bytes of JSON, “{title}”"


def is_schedule(call: Call, month: Month) -> bool:
    return bool(call.blocks) and month.title in call.blocks[0].get("text", {}).get("text", "")


def between(low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = low - 1
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number {low}..{high}")
        return value

    return parse


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    people = DEPARTMENTS * (CONTRIBUTORS_PER_DEPARTMENT + 1)
    parser.add_argument(
        "--concurrency",
        type=between(1, people - WARMUP_REQUESTS),
        default=CONCURRENCY,
        metavar=f"1..{people - WARMUP_REQUESTS}",
        help=f"requests per burst, each from a different person (default {CONCURRENCY})",
    )
    parser.add_argument(
        "--rounds",
        type=between(1, 100),
        default=ROUNDS,
        metavar="1..100",
        help=f"measured bursts per app; more give a steadier p99 (default {ROUNDS})",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    now = datetime.now(UTC)
    load = os.getloadavg()[0]  # another busy process on the machine skews every figure
    users, warmup_users = burst_users(args.concurrency)
    with tempfile.TemporaryDirectory(prefix="socialbot-bench-") as tmp, FakeSlack() as fake:
        workdir = Path(tmp)
        database_url = f"sqlite:///{workdir / 'bench.db'}"
        seeding = time.perf_counter()
        month = seed(database_url, now)
        seeded_s = time.perf_counter() - seeding
        social_env = server_env(fake, database_url, free_port())
        bare_env = server_env(fake, database_url, free_port())
        with (
            running("socialbot", SERVE, social_env, workdir) as social,
            running("bare", [str(BARE_APP)], bare_env, workdir) as bare,
        ):
            targets = (social, bare)
            idle = {t.name: memory_mb(t.process.pid) for t in targets}
            for target in targets:
                warm_up(target, fake, warmup_users)
            cold = {t.name: burst(t, fake, users, "cold") for t in targets}
            rounds: dict[str, list[Burst]] = {t.name: [] for t in targets}
            cpu_before = {t.name: cpu_seconds(t.process.pid) for t in targets}
            for number in range(args.rounds):
                # Alternate which app goes first, so drift in the machine hits both alike.
                for target in targets if number % 2 == 0 else targets[::-1]:
                    rounds[target.name].append(burst(target, fake, users, f"r{number}"))
                    time.sleep(0.2)
            cpu = {t.name: cpu_seconds(t.process.pid) - cpu_before[t.name] for t in targets}
            loaded = {t.name: memory_mb(t.process.pid) for t in targets}
        report(month, now, load, seeded_s, cold, rounds, cpu, idle, loaded)
    return 0


def report(
    month: Month,
    now: datetime,
    load: float,
    seeded_s: float,
    cold: dict[str, Burst],
    rounds: dict[str, list[Burst]],
    cpu: dict[str, float],
    idle: dict[str, dict[str, float]],
    loaded: dict[str, dict[str, float]],
) -> None:
    def merged(name: str, figure: str) -> list[float]:
        return [v for b in rounds[name] for v in getattr(b, figure)]

    social, bare = merged("socialbot", "ack_ms"), merged("bare", "ack_ms")
    p99_social, p99_bare = percentile(social, 99), percentile(bare, 99)
    ratio = p99_social / p99_bare if p99_bare else math.nan
    samples = len(social)
    concurrency = len(rounds["socialbot"][0].samples)
    people = DEPARTMENTS * (CONTRIBUTORS_PER_DEPARTMENT + 1) + 2
    schedules = [
        c for b in rounds["socialbot"] for c in b.responses.values() if is_schedule(c, month)
    ]
    failures = {name: sum(b.failures for b in bursts) for name, bursts in rounds.items()}
    cpu_ms = {name: seconds * 1000 / samples for name, seconds in cpu.items()}

    print(f"socialbot `/social schedule` ack benchmark, {now:%Y-%m-%d %H:%M} UTC")
    print(
        f"  organisation: {DEPARTMENTS} departments, {people} people, "
        f"{DEPARTMENTS * SLOTS_PER_DEPARTMENT:,} slots in {month.title} ({TIMEZONE}), "
        f"seeded in {seeded_s:.1f} s"
    )
    print(
        f"  load: {concurrency} concurrent signed requests x {len(rounds['socialbot'])} rounds "
        f"per app ({samples} samples each), rounds interleaved; before them {WARMUP_REQUESTS} "
        "warm-up requests and one cold burst"
    )
    print(
        f"  machine: Python {platform.python_version()}, {os.cpu_count()} CPUs, load average "
        f"{load:.2f} at start, SQLite; both apps on waitress (16 threads); the fake Slack and "
        "the clients run in this process"
    )
    print()
    print(heading("ack latency (signed request -> HTTP 200)"))
    print(row("socialbot serve", social, f"target p99 < {TARGET_P99_MS:.0f} ms: "
              f"{verdict(p99_social < TARGET_P99_MS)}"))  # fmt: skip
    print(row("bare Bolt (ack + 1 Web API call)", bare))
    print(f"  {'p99 ratio socialbot / bare':<{LABEL}}{ratio:>6.2f}     "
          f"target ≤ {TARGET_P99_RATIO}: {verdict(ratio <= TARGET_P99_RATIO)}")  # fmt: skip
    print(
        "  p99 per round, socialbot / bare (ms): "
        + "  ".join(
            f"{percentile(s.ack_ms, 99):.0f}/{percentile(b.ack_ms, 99):.0f}"
            for s, b in zip(rounds["socialbot"], rounds["bare"], strict=True)
        )
    )
    print()
    print(heading("end to end (request -> response_url)"))
    print(row("socialbot: the schedule message", merged("socialbot", "e2e_ms")))
    print(row('bare Bolt: "ok"', merged("bare", "e2e_ms")))
    print(
        f"  server CPU per request (user+sys): socialbot {cpu_ms['socialbot']:.1f} ms, "
        f"bare {cpu_ms['bare']:.1f} ms"
    )
    print()
    print(heading("first burst (timezones not cached yet)"))
    print(row("socialbot ack", cold["socialbot"].ack_ms))
    print(row("socialbot end to end", cold["socialbot"].e2e_ms,
              f"users.info calls: {cold['socialbot'].users_info_calls}"))  # fmt: skip
    print(row("bare Bolt ack", cold["bare"].ack_ms))
    print()
    if schedules:
        print(f"one schedule message: {schedule_shape(schedules[0])}")
    print(
        f"schedule messages received: {len(schedules)} of {samples}; failed or unanswered "
        f"requests: socialbot {failures['socialbot']}, bare {failures['bare']}"
    )
    print()
    print(f"{'resident memory (MB = 10^6 bytes)':<{LABEL + 2}}{'idle':>9}{'loaded':>9}{'peak':>9}")
    for name, label in (("socialbot", "socialbot serve"), ("bare", "bare Bolt (imports bot.app)")):
        rss_idle = idle[name].get("VmRSS", math.nan)
        rss, peak = loaded[name].get("VmRSS", math.nan), loaded[name].get("VmHWM", math.nan)
        note = ""
        if name == "socialbot":
            note = f"  target < {TARGET_RSS_MB:.0f} MB: {verdict(peak < TARGET_RSS_MB)}"
        print(f"  {label:<{LABEL}}{rss_idle:>9.1f}{rss:>9.1f}{peak:>9.1f}{note}")
    print("  (idle: VmRSS after start-up; loaded: VmRSS after the last round; peak: VmHWM)")


if __name__ == "__main__":
    raise SystemExit(main())
