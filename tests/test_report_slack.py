"""The monthly report through Slack: posted once to the leadership channel with its charts
uploaded by files v2 in its thread, caught up after a missed 1st, never twice (re-runs, two
workers, a crash after posting); `/social report` for each role and the refusals; and
`report build` writing its files."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from slack_sdk import WebClient
from sqlmodel import select

from bot.cli import main
from bot.flows import report as flow
from bot.organisation.service import load_organisation
from bot.organisation.spec import parse_organisation
from bot.report.inputs import Account, Kind
from bot.runtime import Runtime
from bot.testing.fake_slack import FakeSlack
from bot.testing.report_data import Plan, generate
from jobs.registry import run_job
from storage.models import Account as AccountRow
from storage.models_analytics import MetricDay, MetricImport, MetricPost
from storage.models_report import ReportDelivery
from storage.repositories import reports as report_repo
from tests.conftest import BOT_TOKEN, DATA, Served

LEADERS = "C0LEADERS"
FIRST_OF_FEB = datetime(2027, 2, 1, 9, 0, tzinfo=UTC)  # 09:00 in London (GMT)
PNG = b"\x89PNG\r\n\x1a\n"


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _organisation() -> str:
    text = (DATA / "organisation.toml").read_text()
    text = text.replace(
        'overall_coordinators = ["U0OVERALL"]',
        'overall_coordinators = ["U0OVERALL"]\nleadership = ["U0CEO"]',
    )
    return text + "\n[goals]\nengagement_rate = 0.02\non_time = 0.9\n"


def _seed(runtime: Runtime) -> None:
    spec = parse_organisation(_organisation())
    with runtime.session() as session:
        load_organisation(session=session, spec=spec, now=runtime.now())
    data = generate(
        Plan(
            accounts=(
                Account("linkedin:acme", Kind.ORGANISATION, "Marketing"),
                Account("x:acme_ceo", Kind.LEADER),
            ),
            days=200,
            reach={"x:acme_ceo": 6.0},
        )
    )
    with runtime.session() as session:
        ids = {f"{a.platform}:{a.handle}": a.id for a in session.exec(select(AccountRow)).all()}
        row = MetricImport(format="generic", source="seed.csv", digest="0" * 64, imported_by="cli")
        session.add(row)
        session.flush()
        for index, post in enumerate(data.posts):
            session.add(
                MetricPost(
                    platform=post.account.split(":")[0],
                    native_id=str(index),
                    account_id=ids[post.account],
                    published_at=post.published_at,
                    url=post.url,
                    format=post.format,
                    impressions=post.impressions,
                    reach=post.reach,
                    interactions=post.interactions,
                    clicks=post.clicks,
                    import_id=row.id,
                )
            )
        for day in data.days:
            session.add(
                MetricDay(
                    account_id=ids[day.account],
                    day=day.day,
                    impressions=day.impressions,
                    followers=day.followers,
                    followers_gained=day.new_followers,
                    import_id=row.id,
                )
            )


@pytest.fixture
def seeded(runtime: Runtime) -> Runtime:
    _seed(runtime)
    return runtime


@pytest.fixture
def client(fake_slack: FakeSlack) -> WebClient:
    return WebClient(token=BOT_TOKEN, base_url=fake_slack.api_url)


def _top_level(fake: FakeSlack, channel: str = LEADERS) -> list:
    return [
        c
        for c in fake.calls_to("chat.postMessage")
        if c["channel"] == channel and not c.get("thread_ts")
    ]


def _assert_report_posted_once(fake: FakeSlack, month_title: str, channel: str = LEADERS) -> str:
    posts = _top_level(fake, channel)
    assert len(posts) == 1, [p.get("text") for p in posts]
    assert month_title in posts[0]["text"]
    metadata = _json(posts[0]["metadata"])
    assert metadata["event_type"] == "socialbot_report"
    posted = fake.messages[channel if channel.startswith("C") else "D" + channel[1:]]
    ts = next(m["ts"] for m in posted if m.get("metadata") == metadata)
    assert len(_json(posts[0]["blocks"])) <= 50
    urls = fake.calls_to("files.getUploadURLExternal")
    assert len(urls) == 8 and all(u["filename"].endswith(".png") for u in urls)
    uploaded = [fake.uploads[u] for u in fake.uploads]
    assert all(u["content"] and u["content"].startswith(PNG) for u in uploaded)
    complete = fake.calls_to("files.completeUploadExternal")
    assert len(complete) == 1
    target = "D" + channel[1:] if channel.startswith("U") else channel
    assert complete[0]["channel_id"] == target and complete[0]["thread_ts"] == ts
    assert len(_json(complete[0]["files"])) == 8
    advice = [c for c in fake.calls_to("chat.postMessage") if c.get("thread_ts") == ts]
    assert len(advice) == 1 and advice[0]["text"].startswith("Advice for next month")
    assert "distribution giant" in json.dumps(_json(advice[0]["blocks"]))
    # Order: the message, then the charts, then the advice.
    methods = [c.method for c in fake.calls if c.method != "conversations.history"]
    assert methods.index("files.completeUploadExternal") < len(methods) - 1
    return ts


def test_the_scheduled_report_is_posted_once_with_its_charts(
    seeded: Runtime, client: WebClient, fake_slack: FakeSlack
) -> None:
    summary = run_job("monthly-report", runtime=seeded, client=client, at=FIRST_OF_FEB)
    assert summary == "2027-01: posted"
    _assert_report_posted_once(fake_slack, "January 2027")
    text = json.dumps(_json(_top_level(fake_slack)[0]["blocks"]))
    assert "engagement rate" in text and "against a goal of 2.0%" in text
    again = run_job(
        "monthly-report", runtime=seeded, client=client, at=FIRST_OF_FEB + timedelta(hours=1)
    )
    assert again == "2027-01: already posted"
    assert len(_top_level(fake_slack)) == 1


def test_nothing_before_nine_on_the_first(
    seeded: Runtime, client: WebClient, fake_slack: FakeSlack
) -> None:
    early = run_job(
        "monthly-report", runtime=seeded, client=client, at=FIRST_OF_FEB - timedelta(hours=1)
    )
    assert early == "not due yet (the 1st at 09:00)"
    assert fake_slack.calls_to("chat.postMessage") == []


def test_a_missed_first_is_caught_up_once(
    seeded: Runtime, client: WebClient, fake_slack: FakeSlack
) -> None:
    back = FIRST_OF_FEB + timedelta(days=2, hours=5)  # the worker was down until the 3rd
    assert run_job("monthly-report", runtime=seeded, client=client, at=back) == "2027-01: posted"
    later = back + timedelta(hours=1)
    assert run_job("monthly-report", runtime=seeded, client=client, at=later).endswith(
        "already posted"
    )
    _assert_report_posted_once(fake_slack, "January 2027")


def test_two_workers_at_once_post_one_report(
    seeded: Runtime, client: WebClient, fake_slack: FakeSlack
) -> None:
    results: list[str] = []
    barrier = threading.Barrier(2)

    def worker() -> None:
        barrier.wait()
        # Straight to the flow: even without the job's lease, the claim decides.
        results.append(flow.monthly(seeded, client, FIRST_OF_FEB))

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["2027-01: another worker has it", "2027-01: posted"], results
    _assert_report_posted_once(fake_slack, "January 2027")


def test_a_crash_after_posting_is_settled_without_a_second_post(
    seeded: Runtime, client: WebClient, fake_slack: FakeSlack
) -> None:
    claimed = datetime.now(UTC) - timedelta(minutes=10)
    key = "monthly:2027-01"
    posted = client.chat_postMessage(
        channel=LEADERS,
        text="Acme: social media report, January 2027",
        metadata={"event_type": "socialbot_report", "event_payload": {"key": key}},
    )
    with seeded.session() as session:
        report_repo.claim(
            session,
            ReportDelivery(
                key=key,
                kind="monthly",
                month="2027-01",
                recipient=LEADERS,
                state="sending",
                claimed_at=claimed,
            ),
        )
    fake_slack.reset()
    assert run_job("monthly-report", runtime=seeded, client=client, at=FIRST_OF_FEB).endswith(
        "posted"
    )
    assert _top_level(fake_slack) == []
    complete = fake_slack.calls_to("files.completeUploadExternal")
    assert [c["thread_ts"] for c in complete] == [posted["ts"]]
    with seeded.session() as session:
        row = report_repo.by_key(session, key)
        assert row is not None and row.state == "done" and row.ts == posted["ts"]


def test_jobs_run_reports_the_month_before_at(
    env: dict[str, str], seeded: Runtime, fake_slack: FakeSlack, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["jobs", "run", "monthly-report", "--at", "2027-03-10T12:00:00+00:00"]) == 0
    assert "monthly-report: 2027-02: posted" in capsys.readouterr().out
    assert "February 2027" in _top_level(fake_slack)[0]["text"]


# --- /social report ---------------------------------------------------------------------------


def _ask(served: Served, user: str, text: str) -> str:
    served.fake.reset()
    assert served.slack.command(user, text).status == 200
    reply = served.fake.wait_for("response_url")[0]
    return str(reply["text"])


@pytest.fixture
def asking(served: Served) -> Served:
    _seed(served.runtime)
    served.clock.set(datetime(2027, 2, 10, 10, tzinfo=UTC))
    return served


@pytest.mark.parametrize(
    ("user", "text", "month", "department"),
    [
        ("U0OVERALL", "report", "2027-01", None),
        ("U0CEO", "report 2026-12", "2026-12", None),
        ("U0MKTLEAD", "report", "2027-01", "Marketing"),
        ("U0MKTLEAD", "report 2027-01 marketing", "2027-01", "Marketing"),
        ("U0OVERALL", "report 2027-01 Research", "2027-01", "Research"),
    ],
)
def test_social_report_is_acked_and_arrives_in_the_dm(
    asking: Served, user: str, text: str, month: str, department: str | None
) -> None:
    answer = _ask(asking, user, text)
    assert answer.startswith(f"I'm putting together the {month} report")
    assert asking.fake.calls_to("chat.postMessage") == []  # nothing made in the web process
    client = WebClient(token=BOT_TOKEN, base_url=asking.fake.api_url)
    summary = run_job(
        "report-requests", runtime=asking.runtime, client=client, at=asking.runtime.now()
    )
    assert summary.startswith("1 requested reports sent")
    dm = _top_level(asking.fake, user)
    assert len(dm) == 1
    if department:
        assert f"· {department}" in dm[0]["text"]
    complete = asking.fake.calls_to("files.completeUploadExternal")
    assert complete[0]["channel_id"] == "D" + user[1:]
    again = run_job(
        "report-requests", runtime=asking.runtime, client=client, at=asking.runtime.now()
    )
    assert again.startswith("0 requested reports sent")
    assert len(_top_level(asking.fake, user)) == 1


@pytest.mark.parametrize(
    ("user", "text", "expected"),
    [
        ("U0ALICE", "report", "The monthly report is for the overall coordinators"),
        ("U0STRANGER", "report 2027-01", "The monthly report is for the overall coordinators"),
        ("U0MKTLEAD", "report 2027-01 Research", "the departments you coordinate"),
        (
            "U0OVERALL",
            "report 2027-01 <!channel>",
            "There's no department called “&lt;!channel&gt;”",
        ),
    ],
)
def test_social_report_refusals_queue_nothing(
    asking: Served, user: str, text: str, expected: str
) -> None:
    answer = _ask(asking, user, text)
    assert expected in answer
    assert "<!channel>" not in answer
    with asking.runtime.session() as session:
        assert report_repo.pending(session, "request") == []


# --- report build -----------------------------------------------------------------------------


def test_report_build_writes_its_files(
    env: dict[str, str], seeded: Runtime, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert main(["report", "build", "--month", "2027-01", "--out", str(out)]) == 0
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(
        [
            "report.md",
            "report.json",
            "impressions.png",
            "engagement.png",
            "engagement_goal.png",
            "followers.png",
            "leaders.png",
            "slots.png",
            "turnaround.png",
            "top_posts.png",
        ]
    )
    assert all((out / n).read_bytes().startswith(PNG) for n in names if n.endswith(".png"))
    document = json.loads((out / "report.json").read_text())
    markdown = (out / "report.md").read_text()
    for lines in document["sections"].values():
        for line in lines:
            assert f"- {line['text']}" in markdown
    assert document["month"] == "2027-01"
    assert "Wrote" in capsys.readouterr().out
    marketing = tmp_path / "marketing"
    assert (
        main(
            [
                "report",
                "build",
                "--month",
                "2027-01",
                "--department",
                "marketing",
                "--out",
                str(marketing),
            ]
        )
        == 0
    )
    assert json.loads((marketing / "report.json").read_text())["department"] == "Marketing"
    assert (
        main(
            [
                "report",
                "build",
                "--month",
                "2027-01",
                "--department",
                "Nope",
                "--out",
                str(marketing),
            ]
        )
        == 1
    )


def test_the_web_process_never_imports_matplotlib() -> None:
    code = (
        "import sys, bot.app, handlers, jobs.registry, bot.flows.report\n"
        "assert 'monthly-report' in jobs.registry.all_jobs()\n"
        "print('matplotlib' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
