"""`python -m bot demo`: a month of socialbot with no Slack at all.

Seeds a sample organisation into a throwaway database, serves the real app over HTTP against a
local fake Slack Web API, plays a month of people using it through signed requests and the
job runner, and prints the conversation. The story starts on next month's first Tuesday and
every scripted moment is derived from it, so it is the same story whatever today's date is."""

from __future__ import annotations

import json
import tempfile
import threading
from collections.abc import Callable
from dataclasses import asdict
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.config import load_settings
from bot.schedule.timing import Month, local_to_utc
from bot.testing.clock import FixedClock
from bot.testing.fake_slack import FakeSlack
from bot.testing.slack_requests import SlackRequests
from bot.testing.transcript import describe_call
from bot.too_late_cli import too_late_lines

DATA = Path(__file__).parent / "demo_data"
SECRET = "demo-signing-secret"
PEOPLE = {  # user ID: (name, Slack timezone)
    "U0OLIVIA": ("Olivia (overall coordinator)", "Europe/London"),
    "U0MAYA": ("Maya (Marketing coordinator)", "Europe/London"),
    "U0ALICE": ("Alice (Marketing)", "America/New_York"),
    "U0BEN": ("Ben (Marketing)", "Europe/London"),
    "U0RAJ": ("Raj (Research coordinator)", "Europe/London"),
    "U0KENJI": ("Kenji (Research)", "Asia/Tokyo"),
    "U0CLARA": ("Clara (Research)", "Europe/Berlin"),
    "U0PRIYA": ("Priya (People & Culture coordinator)", "Europe/London"),
    "U0DEV": ("Dev (People & Culture)", "America/Los_Angeles"),
    "U0STRANGER": ("Sam (not in the programme)", "Europe/London"),
}
ROTA = {  # department: (platform, account, topics, contributors), posting Tuesdays and Thursdays
    "Marketing": (
        "linkedin",
        "acme-research",
        ["Product tip", "Customer story"],
        ["U0ALICE", "U0BEN"],
    ),
    "Research": (
        "bluesky",
        "acme.science",
        ["Paper of the week", "Lab life"],
        ["U0KENJI", "U0CLARA"],
    ),
    "People & Culture": (
        "linkedin",
        "acme-research",
        ["We're hiring", "Team spotlight"],
        ["U0DEV"],
    ),
}


WEEKS = 5  # the demo schedule: five weeks of Tuesdays and Thursdays, from the story's first day
POSTING_DAYS = (1, 3)  # Tuesday, Thursday


def story_start(month: Month) -> date:
    """The first Tuesday of the month: the story's first day is a posting day, with Thursday's
    posts two days ahead, whatever weekday the month starts on."""
    day = month.first_day
    return day + timedelta(days=(POSTING_DAYS[0] - day.weekday()) % 7)


def demo_schedule(start: date) -> str:
    """Each department posts on Tuesdays and Thursdays for five weeks from start, rotating
    people (always ten posting days, so the same story in any month)."""
    rows = ["department,due,platform,topic,contributor,account"]
    turn = 0
    for offset in range(WEEKS * 7):
        day = start + timedelta(days=offset)
        if day.weekday() in POSTING_DAYS:
            for department, (platform, account, topics, people) in ROTA.items():
                topic = f"{topics[turn % len(topics)]} ({day:%d %b})"
                rows.append(
                    f"{department},{day},{platform},{topic},{people[turn % len(people)]},{account}"
                )
            turn += 1
    return "\n".join(rows) + "\n"


def run_demo(out: Path | None) -> int:
    out = out or Path(tempfile.mkdtemp(prefix="socialbot-demo-"))
    out.mkdir(parents=True, exist_ok=True)
    # The database is throwaway: only the output folder is left behind.
    with tempfile.TemporaryDirectory(prefix="socialbot-demo-db-") as workdir, FakeSlack() as fake:
        for user_id, (name, tz) in PEOPLE.items():
            fake.add_user(user_id, tz=tz, name=name)
        transcript = _play(fake, Path(workdir), out)
    text = "\n".join(transcript) + "\n"
    (out / "transcript.md").write_text(text)
    (out / "slack-calls.json").write_text(
        json.dumps([asdict(c) for c in fake.calls], indent=2, ensure_ascii=False, default=str)
    )
    print(text)
    print(f"Files written to {out}:")
    for path in sorted(out.iterdir()):
        print(f"  {path.name}")
    return 0


def _play(fake: FakeSlack, workdir: Path, out: Path) -> list[str]:
    from bot.app import build_app, make_http_server, stop_http_server
    from bot.calendar import export_calendars
    from bot.organisation.service import load_organisation
    from bot.organisation.spec import parse_organisation
    from bot.runtime import Runtime
    from bot.schedule.service import import_schedule
    from jobs.registry import run_job

    settings = load_settings(
        SLACK_BOT_TOKEN="xoxb-demo-token",
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_APP_TOKEN="",
        SLACK_API_URL=fake.api_url,
        DATABASE_URL=f"sqlite:///{workdir / 'demo.db'}",
    )
    london = ZoneInfo("Europe/London")
    # Next month, so the whole schedule is ahead of the reader, starting on its first Tuesday.
    month = Month.containing(datetime.now(UTC), london).next()
    start = story_start(month)
    clock = FixedClock(_at(start, 8, london))
    runtime = Runtime.start(settings)
    runtime.clock = clock
    names = {uid: name for uid, (name, _) in PEOPLE.items()}
    names |= {
        "C0LEADERSHIP": "#leadership",
        "C0MKTREVIEW": "#marketing-review",
        "C0RESREVIEW": "#research-review",
        "C0PEOPLEREVIEW": "#people-review",
    }
    names |= {
        "D" + uid[1:]: f"{name}, in the reminder's thread" for uid, (name, _) in PEOPLE.items()
    }

    lines = [f"# socialbot demo: {month.title}", ""]
    csv_text = demo_schedule(start)
    (out / f"schedule-{month}.csv").write_text(csv_text)
    with runtime.session() as session:
        summary = load_organisation(
            session=session,
            spec=parse_organisation((DATA / "organisation.toml").read_text()),
            now=clock(),
        )
        imported = import_schedule(
            session=session, text=csv_text, source=f"schedule-{month}.csv", now=clock()
        )
    app = build_app(runtime)
    server = make_http_server(app, runtime, host="127.0.0.1", port=0)
    threading.Thread(target=server.run, daemon=True).start()
    host, port = server.socket.getsockname()[:2]
    slack = SlackRequests(f"http://{host}:{port}/slack/events", SECRET, fake.base_url + "/response")
    fake.reset()
    # As `schedule import` does: posts no reminder can reach in time are named, and their
    # coordinators told in Slack.
    too_late = too_late_lines(runtime, imported.slot_ids)
    lines += [
        "Operator: python -m bot org load organisation.toml",
        *(f"    {line}" for line in summary.lines()),
        f"Operator: python -m bot schedule import schedule-{month}.csv",
        f"    {imported}",
        *(f"    {line}" for line in too_late),
        "",
    ]
    for call in fake.calls:
        if call.method != "auth.test":
            lines.extend(describe_call(call, names))
    lines.append("")
    fake.reset()

    def at(days: int, hour: int, minute: int = 0, tz: ZoneInfo = london) -> datetime:
        """hour:minute in tz, `days` after the story's first day."""
        return local_to_utc(datetime.combine(start + timedelta(days=days), time(hour, minute)), tz)

    def step(
        when: datetime,
        caption: str,
        action: Callable[[], object],
        expect: str,
        count: int = 1,
    ) -> None:
        clock.set(when)
        seen = len(fake.calls)
        action()
        fake.wait_for(expect, sum(1 for c in fake.calls[:seen] if c.method == expect) + count)
        lines.append(f"## {clock().astimezone(london):%a %d %b, %H:%M} (London): {caption}")
        for call in fake.calls[seen:]:
            lines.extend(describe_call(call, names))
        lines.append("")

    try:
        step(
            at(0, 9),
            "Olivia asks what socialbot can do: /social help",
            lambda: slack.command("U0OLIVIA", "help"),
            "response_url",
        )
        step(
            at(0, 9),
            "Olivia looks at the whole month: /social schedule",
            lambda: slack.command("U0OLIVIA", "schedule"),
            "response_url",
        )
        step(
            at(0, 9, 1),
            "The `reminders` job: whoever it is 09:00 for gets one digest of what's due",
            lambda: run_job("reminders", runtime=runtime, client=app.client, at=clock()),
            "chat.postMessage",
        )
        digest = fake.messages["D0BEN"][0]
        step(
            at(0, 9, 30),
            "Ben replies in his reminder's thread with his draft",
            lambda: slack.event(
                {
                    "type": "message",
                    "channel": "D0BEN",
                    "channel_type": "im",
                    "user": "U0BEN",
                    "text": "Customers tell us how Acme saved them a week a month 🚀",
                    "ts": f"{float(digest['ts']) + 60:.6f}",
                    "thread_ts": digest["ts"],
                }
            ),
            "chat.update",
        )
        review = fake.messages["C0MKTREVIEW"][0]
        approve = next(
            e
            for b in review["blocks"]
            if b["type"] == "actions"
            for e in b["elements"]
            if e["action_id"] == "review_approve"
        )
        step(
            at(0, 9, 45),
            "Maya approves Ben's draft in #marketing-review",
            lambda: slack.block_action(
                "U0MAYA",
                "review_approve",
                value=approve["value"],
                channel_id="C0MKTREVIEW",
                message_ts=review["ts"],
            ),
            "chat.postMessage",
        )
        step(
            at(0, 10),
            "Maya opens socialbot's Home tab",
            lambda: slack.app_home_opened("U0MAYA"),
            "views.publish",
        )
        step(
            at(0, 13, 5),
            "The hourly `escalations` job: posts due at noon with no draft are late",
            lambda: run_job("escalations", runtime=runtime, client=app.client, at=clock()),
            "chat.postMessage",
        )
        step(
            at(0, 9, tz=ZoneInfo("America/New_York")),
            "09:00 in New York: the `reminders` job reaches Alice",
            lambda: run_job("reminders", runtime=runtime, client=app.client, at=clock()),
            "chat.postMessage",
        )
        step(
            at(1, 14),
            "Alice, in New York, checks her department: /social schedule",
            lambda: slack.command("U0ALICE", "schedule"),
            "response_url",
        )
        step(
            at(2, 15),
            "Alice tries to look at Research: /social schedule Research",
            lambda: slack.command("U0ALICE", "schedule Research"),
            "response_url",
        )
        step(
            at(3, 9),
            "Kenji, in Tokyo, opens his Home tab",
            lambda: slack.app_home_opened("U0KENJI"),
            "views.publish",
        )
        step(
            at(4, 11),
            "Sam, who is not in the programme, tries /social schedule",
            lambda: slack.command("U0STRANGER", "schedule"),
            "response_url",
        )
        step(
            at(14, 6),
            "The daily `home` job refreshes every Home tab that has been opened",
            lambda: run_job("home", runtime=runtime, client=app.client, at=clock()),
            "views.publish",
        )
        last = month.next().first_day - timedelta(days=1)
        step(
            at((last - start).days, 16),
            f"Olivia looks ahead: /social schedule Marketing {month.next()}",
            lambda: slack.command("U0OLIVIA", f"schedule Marketing {month.next()}"),
            "response_url",
        )
        with runtime.session() as session:
            feeds = export_calendars(session=session, folder=out)
        lines.append("Operator: python -m bot calendar export --out DIR")
        lines += [f"    wrote {path.name} ({count} slots)" for path, count in feeds]
    finally:
        stop_http_server(server)
        app.work_pool.shutdown(wait=True)
        runtime.engine.dispose()
    return lines


def _at(day: date, hour: int, tz: ZoneInfo) -> datetime:
    return local_to_utc(datetime.combine(day, time(hour)), tz)
