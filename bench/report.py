"""What does the monthly report cost beyond drawing its charts, and what does the web process
weigh after someone asks for one?

An organisation of 30 departments and 10 accounts on 6 platforms (3 of them leaders' profiles),
24 months of daily account metrics and 20,000 posts, seeded into a fresh SQLite database
(seeding is not timed). Then, in the same run:

- the whole report: queries, figures, statistics (permutation tests) and every chart;
- the same charts drawn again from the report's ready arrays (render_charts alone);
- their ratio (target ≤ 1.5×).

Then `python -m bot serve --no-scheduler` is started against that database and a local fake
Slack, asked for a report with a signed `/social report`, and its resident memory (VmRSS) is read
once the request is acknowledged and queued (target < 120 MB); whether it loaded matplotlib is
printed too. It prints figures; it never fails on them.

Run from the repo root: python bench/report.py
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlmodel import select

from bot.organisation.service import load_organisation
from bot.organisation.spec import parse_organisation
from bot.report.charts import render_charts
from bot.report.inputs import Account, Kind
from bot.report.loader import load_input
from bot.report.model import build_report
from bot.schedule.timing import Month
from bot.testing.fake_slack import FakeSlack
from bot.testing.report_data import Plan, generate
from bot.testing.slack_requests import SlackRequests
from storage.db import make_engine, session_scope
from storage.migrate import upgrade
from storage.models import Account as AccountRow
from storage.models import Department, Slot
from storage.models_analytics import MetricDay, MetricImport, MetricPost

PLATFORMS = ("linkedin", "x", "facebook", "instagram", "mastodon", "bluesky")
SECRET = "bench-signing-secret"
MONTH = Month(2027, 1)


def organisation() -> str:
    lines = [
        'name = "Bench"',
        'timezone = "Europe/London"',
        'leadership_channel = "C0LEADERS"',
        'overall_coordinators = ["U0OVERALL"]',
        'leadership = ["U0CEO"]',
        "",
        "[goals]",
        "engagement_rate = 0.02",
        "follower_growth = 0.01",
        "on_time = 0.9",
    ]
    for i in range(30):
        lines += [
            "",
            "[[departments]]",
            f'name = "Department {i:02d}"',
            f'review_channel = "C0REV{i:02d}"',
            f'coordinators = ["U0COORD{i:02d}"]',
        ]
    for i in range(10):
        kind = "leader" if i >= 7 else "organisation"
        dept = "" if kind == "leader" else f'\ndepartment = "Department {i:02d}"'
        lines += [
            "",
            "[[accounts]]",
            f'platform = "{PLATFORMS[i % 6]}"',
            f'handle = "account{i}"',
            f'kind = "{kind}"{dept}',
        ]
    return "\n".join(lines) + "\n"


def seed(url: str) -> None:
    engine = make_engine(url)
    upgrade(engine)
    with session_scope(engine) as session:
        load_organisation(
            session=session, spec=parse_organisation(organisation()), now=datetime.now(UTC)
        )
    accounts = tuple(
        Account(f"{PLATFORMS[i % 6]}:account{i}", Kind.LEADER if i >= 7 else Kind.ORGANISATION)
        for i in range(10)
    )
    days = 730
    data = generate(
        Plan(
            accounts=accounts,
            days=days,
            posts_per_day=20_000 / days / 10,
            reach={accounts[8].ref: 5.0},
            weekday={accounts[0].ref: (1, 1.6)},
        )
    )
    with session_scope(engine) as session:
        ids = {f"{a.platform}:{a.handle}": a.id for a in session.exec(select(AccountRow)).all()}
        departments = {d.name: d.id for d in session.exec(select(Department)).all()}
        row = MetricImport(format="bench", source="bench", digest="0" * 64, imported_by="cli")
        session.add(row)
        session.flush()
        session.connection().execute(
            MetricPost.__table__.insert(),  # type: ignore[attr-defined]
            [
                {
                    "platform": p.account.split(":")[0],
                    "native_id": str(i),
                    "account_id": ids[p.account],
                    "published_at": p.published_at,
                    "time_known": True,
                    "url": p.url,
                    "format": p.format,
                    "raw_type": "",
                    "text": "",
                    "impressions": p.impressions,
                    "reach": p.reach,
                    "interactions": p.interactions,
                    "clicks": p.clicks,
                    "import_id": row.id,
                    "created_at": p.published_at,
                    "updated_at": p.published_at,
                }
                for i, p in enumerate(data.posts)
            ],
        )
        session.connection().execute(
            MetricDay.__table__.insert(),  # type: ignore[attr-defined]
            [
                {
                    "account_id": ids[d.account],
                    "day": d.day,
                    "impressions": d.impressions,
                    "followers": d.followers,
                    "followers_gained": d.new_followers,
                    "import_id": row.id,
                }
                for d in data.days
            ],
        )
        start = datetime(2027, 1, 4, 10, tzinfo=UTC)
        for n, (name, dept_id) in enumerate(sorted(departments.items())):
            for j in range(8):
                session.add(
                    Slot(
                        natural_key=f"bench-{n}-{j}",
                        department_id=dept_id,
                        due_at=start + timedelta(days=j * 3),
                        platform="linkedin",
                        topic=f"{name} {j}",
                        contributor_id=f"U0COORD{n:02d}",
                        status="published" if (n + j) % 4 else "planned",
                    )
                )
    print(f"seeded {len(data.posts):,} posts and {len(data.days):,} account days")
    engine.dispose()


def timed_report(url: str) -> tuple[float, float, float]:
    engine = make_engine(url)
    started = time.perf_counter()
    with session_scope(engine) as session:
        data = load_input(session, MONTH)
    loaded = time.perf_counter()
    report = build_report(data)
    built = time.perf_counter()
    render_charts(report)
    whole = time.perf_counter() - started
    t = time.perf_counter()
    render_charts(report)
    charts_only = time.perf_counter() - t
    engine.dispose()
    print(f"  queries {loaded - started:6.2f} s   figures + statistics {built - loaded:6.2f} s")
    return whole, charts_only, len(report.advice.comparisons)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve_rss(url: str) -> tuple[float, bool]:
    with FakeSlack() as fake:
        port = free_port()
        env = {
            **os.environ,
            "SLACK_BOT_TOKEN": "xoxb-bench",
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": fake.api_url,
            "DATABASE_URL": url,
            "PORT": str(port),
            "LOG_LEVEL": "WARNING",
        }
        env.pop("SLACK_APP_TOKEN", None)
        probe = (
            "import sys, runpy, threading, time\n"
            "def report():\n"
            "    time.sleep(float(sys.argv[1]))\n"
            "    print('MATPLOTLIB', 'matplotlib' in sys.modules, flush=True)\n"
            "threading.Thread(target=report, daemon=True).start()\n"
            "sys.argv = ['bot', 'serve', '--no-scheduler', '--host', '127.0.0.1']\n"
            "runpy.run_module('bot', run_name='__main__')\n"
        )
        process = subprocess.Popen(
            [sys.executable, "-c", probe, "12"], env=env, stdout=subprocess.PIPE, text=True
        )
        try:
            slack = SlackRequests(
                f"http://127.0.0.1:{port}/slack/events", SECRET, fake.base_url + "/response"
            )
            deadline = time.monotonic() + 60
            while True:
                try:
                    if slack.command("U0OVERALL", "report 2027-01").status == 200:
                        break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise SystemExit("serve did not start")
                time.sleep(0.3)
            fake.wait_for("response_url", timeout=30)
            time.sleep(1.0)
            rss = 0.0
            for line in Path(f"/proc/{process.pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    rss = int(line.split()[1]) / 1024
            assert process.stdout is not None
            loaded = False
            for line in process.stdout:
                if line.startswith("MATPLOTLIB"):
                    loaded = line.split()[1] == "True"
                    break
            return rss, loaded
        finally:
            process.terminate()
            process.wait(timeout=10)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        seed(url)
        print("whole report (queries, statistics, charts) vs the same charts from ready arrays:")
        whole, charts, comparisons = timed_report(url)
        print(f"  whole report      {whole:6.2f} s   ({comparisons} comparisons tested)")
        print(f"  charts alone      {charts:6.2f} s")
        print(f"  ratio             {whole / charts:6.2f}x   (target <= 1.5x)")
        rss, loaded = serve_rss(url)
        print(
            f"serve --no-scheduler after /social report: RSS {rss:.1f} MB (target < 120 MB), "
            f"matplotlib imported: {loaded}"
        )


if __name__ == "__main__":
    main()
