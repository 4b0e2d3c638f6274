"""An export dropped into the bot's DM, through signed events and the fake Slack's file
download: imported, answered in the message's thread; refusals for everyone else."""

from __future__ import annotations

import json

from slack_sdk import WebClient
from sqlmodel import func, select

from bot.flows.metrics_import import FileDrop, import_dropped_files
from bot.slack.downloads import DownloadFailed, _trusted, download_shared_file
from bot.testing.fake_slack import FakeSlack
from storage.models_analytics import MetricPost
from tests.conftest import BOT_TOKEN, Served
from tests.test_analytics_import import EXPORTS, X_CONTENT, analytics_org  # noqa: F401

LEAD = "U0MKTLEAD"


def _drop(served: Served, user: str, *files: dict, ts: str = "1736935200.000100") -> str:
    served.slack.event(
        {
            "type": "message",
            "subtype": "file_share",
            "channel": "D" + user[1:],
            "channel_type": "im",
            "user": user,
            "text": "",
            "ts": ts,
            "files": [{"id": f["id"], "name": f["name"], "mimetype": f["mimetype"]} for f in files],
        }
    )
    return ts


def _answer(served: Served, ts: str):
    [reply] = served.fake.wait_for("chat.postMessage", where=lambda c: c.get("thread_ts") == ts)
    blocks = reply.blocks
    return reply["text"], "\n".join(b["text"]["text"] for b in blocks)


def _posts(served: Served) -> int:
    with served.runtime.session() as session:
        return session.exec(select(func.count()).select_from(MetricPost)).one()


def test_a_coordinator_drops_an_x_export_into_the_dm(env, analytics_org, served: Served):  # noqa: F811
    shared = served.fake.add_file(X_CONTENT.name, X_CONTENT.read_bytes(), user=LEAD)
    ts = _drop(served, LEAD, shared)
    text, body = _answer(served, ts)
    assert text == "Analytics import done."
    assert f"Imported {X_CONTENT.name}:" in body
    assert "account: x:acme_ceo" in body and "posts: 2 new, 0 updated, 0 unchanged" in body
    [download] = served.fake.calls_to("file_download")
    assert download["authorization"] == f"Bearer {BOT_TOKEN}"
    assert download["file_id"] == shared["id"]
    assert served.fake.calls_to("files.info")[0]["file"] == shared["id"]
    assert _posts(served) == 2


def test_several_files_each_get_their_answer(env, analytics_org, served: Served):  # noqa: F811
    first = served.fake.add_file(X_CONTENT.name, X_CONTENT.read_bytes(), user=LEAD)
    bad = served.fake.add_file("notes.csv", b"when,what\n2027-01-01,lunch\n", user=LEAD)
    ts = _drop(served, LEAD, first, bad)
    replies = served.fake.wait_for("chat.postMessage", 2, where=lambda c: c.get("thread_ts") == ts)
    bodies = sorted(json.dumps(r.blocks) for r in replies)
    assert any("posts: 2 new" in b for b in bodies)
    assert any("Headers seen: 'when', 'what'" in b for b in bodies)
    assert _posts(served) == 2


def test_a_contributor_is_told_who_may_import(env, analytics_org, served: Served):  # noqa: F811
    shared = served.fake.add_file(X_CONTENT.name, X_CONTENT.read_bytes(), user="U0ALICE")
    ts = _drop(served, "U0ALICE", shared)
    text, _ = _answer(served, ts)
    assert text.startswith("Only overall coordinators and department coordinators")
    assert served.fake.calls_to("file_download") == []
    assert _posts(served) == 0


def test_a_bad_file_is_refused_in_the_thread_and_nothing_changes(
    env,
    analytics_org,  # noqa: F811
    served: Served,
):
    name = "<!channel> *boom*.csv"
    shared = served.fake.add_file(name, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    ts = _drop(served, "U0OVERALL", shared)
    text, body = _answer(served, ts)
    assert text == "Analytics import refused: nothing was imported."
    assert "not a readable .xls spreadsheet" in body
    reply = served.fake.calls_to("chat.postMessage")[0]
    assert all(b["text"]["type"] == "plain_text" for b in reply.blocks)  # the name is inert
    assert "<!channel>" not in reply["text"]
    assert _posts(served) == 0


def test_a_retried_delivery_imports_and_answers_once(env, analytics_org, fake_slack: FakeSlack):  # noqa: F811
    shared = fake_slack.add_file(X_CONTENT.name, X_CONTENT.read_bytes(), user=LEAD)
    client = WebClient(token=BOT_TOKEN, base_url=fake_slack.api_url)
    drop = FileDrop("Ev42", LEAD, "D0MKTLEAD", "1.0", (shared["id"],))
    import_dropped_files(analytics_org, client, drop)
    import_dropped_files(analytics_org, client, drop)
    assert len(fake_slack.calls_to("chat.postMessage")) == 1
    with analytics_org.session() as session:
        assert session.exec(select(func.count()).select_from(MetricPost)).one() == 2


def test_the_download_needs_the_bot_token_and_slack_hosts(fake_slack: FakeSlack, tmp_path):
    shared = fake_slack.add_file("x.csv", b"a,b\n")
    anonymous = WebClient(token="not-a-bot-token", base_url=fake_slack.api_url)
    anonymous.files_info = WebClient(token=BOT_TOKEN, base_url=fake_slack.api_url).files_info  # type: ignore[method-assign]
    try:
        download_shared_file(anonymous, shared["id"], tmp_path)
        raise AssertionError("downloaded without a bot token")
    except DownloadFailed as exc:
        assert "did not hand over" in str(exc)
    assert _trusted("https://files.slack.com/files-pri/T1-F1/x.csv", "https://slack.com/api/")
    assert not _trusted("https://files.slack.com.evil.io/x.csv", "https://slack.com/api/")
    assert not _trusted("http://files.slack.com/x.csv", "https://slack.com/api/")
    assert not _trusted("https://evil.io/x.csv", "https://slack.com/api/")
