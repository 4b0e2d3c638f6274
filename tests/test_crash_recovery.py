"""A job killed mid-run (SIGKILL, as OOM or a deploy would) is recovered by the very next run.

The killed run is a real `python -m bot jobs run …` process against the fake Slack, stopped the
moment Slack has posted a message whose answer it never got."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlmodel import select

from bot.cli import main
from bot.organisation.service import load_organisation
from bot.organisation.spec import parse_organisation
from bot.runtime import Runtime
from bot.schedule.service import import_schedule
from bot.testing.fake_slack import FakeSlack
from storage import locks
from storage.db import make_engine
from storage.models import Digest, Slot
from tests.conftest import Served
from tests.test_reminders import org_toml_with_contributors
from tests.test_slack_review import _submitted_for_review

PEOPLE = [f"U0P{i:03d}" for i in range(8)]
WEEK_BEFORE = "2027-02-10T09:00:00+00:00"  # the 7-day reminder of posts due on 17 February


def _import(runtime: Runtime, rows: str) -> None:
    with runtime.session() as session:
        import_schedule(
            session=session,
            text="department,due,platform,topic,contributor\n" + rows,
            source="crash.csv",
            now=runtime.now(),
        )


@pytest.fixture
def eight_due(org: Runtime) -> Runtime:
    """Eight contributors, each with a post whose reminder is due at WEEK_BEFORE."""
    with org.session() as session:
        spec = parse_organisation(org_toml_with_contributors(PEOPLE))
        load_organisation(session=session, spec=spec, now=org.now())
    _import(org, "".join(f"Marketing,2027-02-17,linkedin,Post {p},{p}\n" for p in PEOPLE))
    return org


def _spawn(job: str, at: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "jobs", "run", job, "--at", at],
        env=dict(os.environ),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture
def killed() -> Iterator[list[subprocess.Popen[str]]]:
    """Processes a test started; none outlives it."""
    procs: list[subprocess.Popen[str]] = []
    yield procs
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
        proc.communicate(timeout=30)


def _kill_after(
    fake: FakeSlack, procs: list, job: str, at: str, method: str, nth: int
) -> subprocess.Popen[str]:
    """Start `job`, and SIGKILL it once Slack has carried out its `nth` call of `method`."""
    stall = fake.stall(method, nth=nth)
    proc = _spawn(job, at)
    procs.append(proc)
    try:
        stall.wait(timeout=60)
        proc.kill()
        proc.wait(timeout=30)
    finally:
        stall.release()
    assert proc.returncode == -9
    return proc


def _dms(fake: FakeSlack) -> list[str]:
    return sorted(c["channel"] for c in fake.calls_to("chat.postMessage"))


def test_a_run_killed_after_its_third_of_eight_dms_is_finished_by_the_next_run_at_once(
    env, eight_due, fake_slack, killed, capsys
):
    _kill_after(fake_slack, killed, "reminders", WEEK_BEFORE, "chat.postMessage", nth=3)
    assert len(fake_slack.calls_to("chat.postMessage")) == 3  # the third reached Slack, unheard
    assert main(["jobs", "run", "reminders", "--at", WEEK_BEFORE]) == 0
    out = capsys.readouterr().out
    assert "another worker" not in out
    assert "5 digests sent (5 reminders)" in out and "1 recovered" in out
    assert _dms(fake_slack) == sorted(PEOPLE)  # everyone due has exactly one reminder
    with eight_due.session() as session:
        assert [d.state for d in session.exec(select(Digest))] == ["sent"] * 8
    assert main(["jobs", "run", "reminders", "--at", "2027-02-10T09:15:00+00:00"]) == 0
    assert _dms(fake_slack) == sorted(PEOPLE)


def test_a_run_killed_before_slack_answered_its_first_call_leaves_nothing_behind(
    env, eight_due, fake_slack, killed, capsys
):
    """Killed while looking people up: nothing claimed, so nothing to recover, all sent."""
    _kill_after(fake_slack, killed, "reminders", WEEK_BEFORE, "users.info", nth=1)
    assert main(["jobs", "run", "reminders", "--at", WEEK_BEFORE]) == 0
    out = capsys.readouterr().out
    assert "8 digests sent" in out and "recovered" not in out
    assert _dms(fake_slack) == sorted(PEOPLE)


def test_two_runs_at_once_exclude_each_other_and_the_second_says_so(
    env, eight_due, fake_slack, killed, capsys
):
    stall = fake_slack.stall("chat.postMessage", nth=1)
    proc = _spawn("reminders", WEEK_BEFORE)
    killed.append(proc)
    try:
        stall.wait(timeout=60)
        assert main(["jobs", "run", "reminders", "--at", WEEK_BEFORE]) == 0
        assert "skipped: another worker is running reminders" in capsys.readouterr().out
    finally:
        stall.release()
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "8 digests sent" in out
    assert _dms(fake_slack) == sorted(PEOPLE)
    # Its lock ended with it: the next run is not refused.
    assert main(["jobs", "run", "reminders", "--at", WEEK_BEFORE]) == 0
    assert "another worker" not in capsys.readouterr().out


def test_a_snooze_clicked_during_a_run_survives_it(env, org, served: Served, settings):
    from bot.app import make_client
    from jobs.registry import run_job

    _import(
        org,
        "Marketing,2027-02-17,linkedin,Alice's,U0ALICE\nMarketing,2027-02-17,linkedin,Bob's,U0BOB\n",
    )
    assert main(["jobs", "run", "reminders", "--at", WEEK_BEFORE]) == 0  # both get the d7
    bob_ts = served.fake.messages["D0BOB"][0]["ts"]
    with org.session() as session:
        bobs = session.exec(select(Slot).where(Slot.topic == "Bob's")).one()
    monday = datetime(2027, 2, 15, 9, 0, tzinfo=UTC)  # the 2-day reminders
    served.clock.set(monday)
    # The run stalls on Alice's DM (contributors go in order); Bob snoozes meanwhile.
    stall = served.fake.stall("chat.postMessage", nth=1)
    results: list[str] = []

    def run() -> None:
        runtime = Runtime(settings=settings, engine=make_engine(settings.database_url))
        try:
            results.append(
                run_job("reminders", runtime=runtime, client=make_client(settings), at=monday)
            )
        finally:
            runtime.engine.dispose()

    worker = threading.Thread(target=run)
    worker.start()
    try:
        stall.wait(timeout=30)
        served.slack.block_action(
            "U0BOB", "snooze_1d", value=str(bobs.id), channel_id="D0BOB", message_ts=bob_ts
        )
        served.fake.wait_for("chat.update")
    finally:
        stall.release()
    worker.join(60)
    assert results and "1 digests sent" in results[0]
    with org.session() as session:
        snoozed = session.exec(select(Slot).where(Slot.topic == "Bob's")).one()
    assert snoozed.snoozed_until == datetime(2027, 2, 16, 9, 0, tzinfo=UTC)
    assert snoozed.next_nudge_at == snoozed.snoozed_until  # not overwritten by the run
    assert len(served.fake.messages["D0ALICE"]) == 2 and len(served.fake.messages["D0BOB"]) == 1
    # The snooze's reminder comes when the snooze ends.
    assert main(["jobs", "run", "reminders", "--at", "2027-02-16T09:00:00+00:00"]) == 0
    assert len(served.fake.messages["D0BOB"]) == 2


def test_a_review_nudge_is_never_repeated_after_a_crash(env, org, served: Served, killed, capsys):
    _, root = _submitted_for_review(served)  # Friday 15 January, 10:00
    monday = "2027-01-18T10:30:00+00:00"  # over 24 working hours later
    before = len(served.fake.calls_to("chat.postMessage"))
    _kill_after(served.fake, killed, "review-nudges", monday, "chat.postMessage", nth=1)
    [nudge] = served.fake.calls_to("chat.postMessage")[before:]
    assert nudge["thread_ts"] == root  # a thread reply: not in the channel's history
    assert main(["jobs", "run", "review-nudges", "--at", monday]) == 0
    assert "1 recovered" in capsys.readouterr().out
    [lookup] = served.fake.calls_to("conversations.replies")
    assert (lookup["channel"], lookup["ts"]) == ("C0MKTREVIEW", root)
    assert main(["jobs", "run", "review-nudges", "--at", "2027-01-19T10:30:00+00:00"]) == 0
    assert len(served.fake.calls_to("chat.postMessage")) == before + 1  # never repeated
    with org.session() as session:
        [digest] = session.exec(select(Digest).where(Digest.kind == "review-nudge")).all()
    [posted] = [
        m
        for m in served.fake.messages["C0MKTREVIEW"]
        if (m.get("metadata") or {}).get("event_payload", {}).get("key") == digest.key
    ]
    assert (digest.state, digest.ts) == ("sent", posted["ts"])


def test_a_job_lock_is_exclusive_per_name_and_free_once_released(runtime: Runtime):
    with locks.exclusive(runtime.engine, "reminders") as held:
        held.check()
        with pytest.raises(locks.LockHeld), locks.exclusive(runtime.engine, "reminders"):
            pass
        with locks.exclusive(runtime.engine, "escalations"):
            pass  # another job is not excluded
    with locks.exclusive(runtime.engine, "reminders"):
        pass


def test_a_lock_name_cannot_reach_outside_the_database_folder(runtime: Runtime):
    with pytest.raises(ValueError), locks.exclusive(runtime.engine, "../x"):
        pass


def test_a_version_reaches_its_review_channel_once_whoever_posts_it(served: Served, org):
    """A listener and `review-nudges` may both find a version unposted: one message."""
    from bot.app import make_client
    from bot.flows.review import post_for_review
    from bot.slack.context import SlackContext
    from storage.models import Draft

    _submitted_for_review(served)
    with org.session() as session:
        draft = session.exec(select(Draft)).one()
        posted_ts, draft.review_ts = draft.review_ts, None  # as a racing reader saw it
        session.add(draft)
    before = len(served.fake.calls_to("chat.postMessage"))
    ctx = SlackContext(org, make_client(org.settings))
    assert post_for_review(ctx, draft.id) is False
    assert len(served.fake.calls_to("chat.postMessage")) == before
    with org.session() as session:
        assert session.get(Draft, draft.id).review_ts == posted_ts  # put back from the outbox
