"""Reminders, driven through the jobs CLI with `--at` against the fake Slack."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from bot.cli import main
from bot.runtime import Runtime
from bot.schedule.service import import_schedule
from storage.models import Digest, OutboxItem, Slot, SlotEvent

pytestmark = pytest.mark.dates


def _import(runtime: Runtime, rows: str) -> None:
    with runtime.session() as session:
        import_schedule(
            session=session,
            text="department,due,platform,topic,contributor\n" + rows,
            source="extra.csv",
            now=runtime.now(),
        )


def _run(at: str, capsys=None) -> str:
    assert main(["jobs", "run", "reminders", "--at", at]) == 0
    return capsys.readouterr().out if capsys else ""


def _dms(fake, user: str) -> list:
    return [c for c in fake.calls_to("chat.postMessage") if c["channel"] == user]


def test_one_digest_at_nine_in_the_contributors_timezone_and_never_twice(
    env, org, fake_slack, capsys
):
    fake_slack.add_user("U0ALICE", tz="Europe/London")
    # Webinar invite: due Tuesday 26 January, 12:00 London; 7 days before is Tuesday 19th.
    _import(org, "Marketing,2027-01-26T15:00,x,Second post,U0ALICE\n")
    _run("2027-01-19T08:45:00+00:00")
    assert _dms(fake_slack, "U0ALICE") == []
    out = _run("2027-01-19T09:00:00+00:00", capsys)
    assert "1 digests sent (2 reminders)" in out
    [digest] = _dms(fake_slack, "U0ALICE")
    rendered = json.dumps(digest["blocks"])
    assert "Webinar invite" in rendered and "Second post" in rendered
    assert "due in 7 days" in rendered
    assert digest["metadata"]["event_type"] == "socialbot_digest"
    actions = [
        e["action_id"] for b in digest["blocks"] if b["type"] == "actions" for e in b["elements"]
    ]
    assert actions.count("draft_open") == 2 and "snooze_1d" in actions and "hand_back" in actions
    # Running again, at once or later the same day, sends nothing more.
    _run("2027-01-19T09:00:00+00:00")
    _run("2027-01-19T15:00:00+00:00")
    assert len(_dms(fake_slack, "U0ALICE")) == 1
    with org.session() as session:
        events = session.exec(select(SlotEvent).where(SlotEvent.kind == "reminded")).all()
        assert len(events) == 2


def test_tokyo_and_los_angeles_each_get_theirs_at_their_own_nine(env, org, fake_slack):
    fake_slack.add_user("U0ALICE", tz="Asia/Tokyo")
    fake_slack.add_user("U0BOB", tz="America/Los_Angeles")
    _import(
        org,
        "Marketing,2027-02-10,linkedin,Tokyo post,U0ALICE\nMarketing,2027-02-10,x,LA post,U0BOB\n",
    )
    # Due Wednesday 10 Feb 12:00 London. 7 days before: Wednesday 3 Feb.
    _run("2027-02-03T00:00:00+00:00")  # 09:00 in Tokyo
    assert [c["channel"] for c in fake_slack.calls_to("chat.postMessage")] == ["U0ALICE"]
    _run("2027-02-03T16:59:00+00:00")  # 08:59 in Los Angeles
    assert len(fake_slack.calls_to("chat.postMessage")) == 1
    _run("2027-02-03T17:00:00+00:00")  # 09:00 in Los Angeles
    assert [c["channel"] for c in fake_slack.calls_to("chat.postMessage")] == ["U0ALICE", "U0BOB"]


def test_after_downtime_missed_reminders_are_caught_up_once(env, org, fake_slack, capsys):
    _import(org, "Marketing,2027-02-10,linkedin,Launch,U0ALICE\n")
    # Nothing ran from 2 Feb until the morning of Tuesday 9 Feb (7- and 2-day reminders missed).
    out = _run("2027-02-09T10:00:00+00:00", capsys)
    assert "1 digests sent (1 reminders)" in out
    _run("2027-02-09T11:00:00+00:00")
    assert len(_dms(fake_slack, "U0ALICE")) == 1
    with org.session() as session:
        slot = session.exec(select(Slot).where(Slot.topic == "Launch")).one()
        states = {
            n.stage: n.state
            for n in session.exec(
                select(OutboxItem).where(
                    OutboxItem.subject == "slot", OutboxItem.subject_id == slot.id
                )
            )
        }
    assert states == {"d7": "skipped", "d2": "sent"}
    # The morning-of reminder still comes, once.
    _run("2027-02-10T09:00:00+00:00")
    _run("2027-02-10T09:15:00+00:00")
    assert len(_dms(fake_slack, "U0ALICE")) == 2


def test_rate_limits_are_waited_out_and_nothing_is_lost(env, org, fake_slack, capsys):
    _import(
        org,
        "Marketing,2027-02-17,linkedin,A,U0ALICE\nMarketing,2027-02-17,linkedin,B,U0BOB\n",
    )
    fake_slack.rate_limit("chat.postMessage", retry_after=1, times=1)
    out = _run("2027-02-10T09:00:00+00:00", capsys)
    assert "2 digests sent" in out
    posted = fake_slack.calls_to("chat.postMessage")
    assert len(posted) == 3  # one refused with 429, then both delivered
    assert sorted(c["channel"] for c in posted[1:]) == ["U0ALICE", "U0BOB"]


def test_a_failed_dm_is_recorded_reported_and_does_not_stop_the_run(env, org, fake_slack, capsys):
    fake_slack.add_user("U0BOB", deleted=True)
    _import(
        org,
        "Marketing,2027-02-17,linkedin,A,U0ALICE\nMarketing,2027-02-17,linkedin,B,U0BOB\n",
    )
    out = _run("2027-02-10T09:00:00+00:00", capsys)
    assert "1 digests sent (1 reminders), 1 failed (1 coordinator reports)" in out
    [report] = _dms(fake_slack, "U0MKTLEAD")
    assert "<@U0BOB>" in json.dumps(report["blocks"]) and "user_not_found" in json.dumps(
        report["blocks"]
    )
    with org.session() as session:
        failed = session.exec(select(SlotEvent).where(SlotEvent.kind == "reminded_failed")).all()
        assert [e.detail for e in failed] == ["user_not_found"]
    # Neither the failure nor its report is repeated on the next run.
    _run("2027-02-10T09:15:00+00:00")
    assert len(_dms(fake_slack, "U0BOB")) == 1 and len(_dms(fake_slack, "U0MKTLEAD")) == 1


def test_a_crash_between_sending_and_recording_neither_duplicates_nor_loses(
    env, org, fake_slack, monkeypatch, capsys
):
    import storage.repositories.outbox as nudges_repo

    _import(
        org,
        "Marketing,2027-02-17,linkedin,A,U0ALICE\nMarketing,2027-02-17,linkedin,B,U0BOB\n",
    )
    real_confirm = nudges_repo.confirm
    calls = []

    def crash_on_second(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("power cut")
        return real_confirm(*args, **kwargs)

    monkeypatch.setattr(nudges_repo, "confirm", crash_on_second)
    with pytest.raises(RuntimeError):
        main(["jobs", "run", "reminders", "--at", "2027-02-10T09:00:00+00:00"])
    assert len(fake_slack.calls_to("chat.postMessage")) == 2  # both went out; one unrecorded
    monkeypatch.setattr(nudges_repo, "confirm", real_confirm)
    # At once: the dead run's lock went with it, so nobody can still be sending its digest.
    out = _run("2027-02-10T09:00:00+00:00", capsys)
    assert "1 recovered" in out
    assert len(fake_slack.calls_to("chat.postMessage")) == 2  # nothing sent twice
    with org.session() as session:
        assert {d.state for d in session.exec(select(Digest))} == {"sent"}


def test_a_crash_before_sending_is_sent_on_the_next_run(env, org, fake_slack, monkeypatch, capsys):
    _import(org, "Marketing,2027-02-17,linkedin,A,U0ALICE\n")
    # Slack answers 500: the message may or may not exist, so the digest stays in doubt.
    fake_slack.fail("chat.postMessage", "internal_error", status=500, times=1)
    assert "1 in doubt" in _run("2027-02-10T09:00:00+00:00", capsys)
    # The run that left it in doubt has ended, so the very next one settles it: Slack has no
    # message with its key, so it is sent now.
    out = _run("2027-02-10T09:01:00+00:00", capsys)
    assert "1 recovered" in out and "1 digests sent" in out
    assert len(fake_slack.calls_to("chat.postMessage")) == 2  # the failed try, then the digest
    with org.session() as session:
        assert sorted(d.state for d in session.exec(select(Digest))) == ["abandoned", "sent"]
    assert "recovered" not in _run("2027-02-10T09:02:00+00:00", capsys)


def test_a_listeners_send_in_doubt_gets_a_grace_then_is_settled(
    env, org, fake_slack, monkeypatch, capsys
):
    """A listener holds no job's lock, so its claim may be in flight while a job runs."""
    from bot.app import make_client
    from bot.slack.outbox import Outcome, deliver
    from jobs.registry import JobContext

    _import(org, "Marketing,2027-02-17,linkedin,Again,U0ALICE\n")
    with org.session() as session:
        slot = session.exec(select(Slot).where(Slot.topic == "Again")).one()
    fake_slack.fail("chat.postMessage", "internal_error", status=500, times=1)
    delivery = deliver(
        JobContext(runtime=org, client=make_client(org.settings), at=org.now()),
        recipient="U0ALICE",
        kind="reminder",
        items=[(slot.id, "again:U0MKTLEAD")],
        render=lambda shown: ("Reminder", []),
        event="reminded_again",
    )
    assert delivery.outcome is Outcome.IN_DOUBT
    assert "recovered" not in _run("2027-01-15T10:00:00+00:00", capsys)
    _later(monkeypatch, minutes=6)  # longer than any send takes
    assert "1 recovered" in _run("2027-01-15T10:00:00+00:00", capsys)
    with org.session() as session:
        [digest] = session.exec(select(Digest)).all()
        assert digest.state == "abandoned" and digest.job is None


def test_reminders_are_counted_in_the_schedule(env, org, fake_slack):
    _import(org, "Marketing,2027-02-17,linkedin,Counted,U0ALICE\n")
    _run("2027-02-10T09:00:00+00:00")
    from zoneinfo import ZoneInfo

    from bot.schedule.service import month_slots
    from bot.schedule.timing import Month

    with org.session() as session:
        [slot] = [
            s
            for s in month_slots(
                session=session,
                department_ids=[1],
                month=Month(2027, 2),
                tz=ZoneInfo("Europe/London"),
            )
            if s.topic == "Counted"
        ]
    assert slot.reminders == 1


def test_no_reminders_for_slots_already_drafted(env, org, fake_slack):
    _import(org, "Marketing,2027-02-17,linkedin,Done early,U0ALICE\n")
    with org.session() as session:
        slot = session.exec(select(Slot).where(Slot.topic == "Done early")).one()
        slot.status = "drafted"
        session.add(slot)
    _run("2027-02-10T09:00:00+00:00")
    assert fake_slack.calls_to("chat.postMessage") == []


def test_two_workers_at_once_send_everything_exactly_once(env, org, fake_slack, settings):
    """Two scheduler processes firing together (run on PostgreSQL by .ci/run too)."""
    import threading

    from bot.app import make_client
    from jobs.registry import run_job
    from storage.db import make_engine

    people = [f"U0P{i:03d}" for i in range(12)]
    text = org_toml_with_contributors(people)
    from bot.organisation.service import load_organisation
    from bot.organisation.spec import parse_organisation

    with org.session() as session:
        load_organisation(session=session, spec=parse_organisation(text), now=org.now())
    _import(org, "".join(f"Marketing,2027-02-17,linkedin,Post {p},{p}\n" for p in people))
    at = datetime(2027, 2, 10, 9, 0, tzinfo=UTC)
    results: list[str] = []
    barrier = threading.Barrier(2)

    def worker() -> None:
        runtime = Runtime(settings=settings, engine=make_engine(settings.database_url))
        barrier.wait()
        results.append(run_job("reminders", runtime=runtime, client=make_client(settings), at=at))
        runtime.engine.dispose()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert len(results) == 2
    channels = [c["channel"] for c in fake_slack.calls_to("chat.postMessage")]
    assert sorted(channels) == sorted(people)  # each exactly once


def test_a_second_claim_of_the_same_reminder_is_refused(env, org, fake_slack):
    from bot.app import make_client
    from bot.slack.outbox import Outcome, deliver
    from jobs.registry import JobContext

    _import(org, "Marketing,2027-02-17,linkedin,Once,U0ALICE\n")
    with org.session() as session:
        slot = session.exec(select(Slot).where(Slot.topic == "Once")).one()
    ctx = JobContext(runtime=org, client=make_client(org.settings), at=org.now())

    def send():
        return deliver(
            ctx,
            recipient="U0ALICE",
            kind="reminder",
            items=[(slot.id, "d7")],
            render=lambda shown: ("x", []),
            event="reminded",
        )

    assert send().outcome is Outcome.SENT
    assert send().outcome is Outcome.TAKEN
    assert len(fake_slack.calls_to("chat.postMessage")) == 1


def org_toml_with_contributors(people: list[str]) -> str:
    from tests.conftest import DATA

    text = (DATA / "organisation.toml").read_text()
    listed = ", ".join(f'"{p}"' for p in ["U0ALICE", "U0BOB", *people])
    return text.replace('contributors = ["U0ALICE", "U0BOB"]', f"contributors = [{listed}]")


def _later(monkeypatch, *, minutes: int) -> None:
    """Real time moves on (in-doubt digests are about real time, not `--at`)."""
    import bot.slack.outbox as delivery

    moved = datetime.now(UTC) + timedelta(minutes=minutes)
    monkeypatch.setattr(delivery, "wall_clock", lambda: moved)
