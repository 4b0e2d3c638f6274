"""/access through signed HTTP requests against the fake Slack: the whole flow, every refusal,
concurrent clicks, break-glass, two approvals, and a scan proving no secret leaks."""

from __future__ import annotations

import json
import logging
import threading
from datetime import timedelta
from pathlib import Path

import pyotp
import pytest
from sqlalchemy import String, Text, inspect, select, text
from sqlmodel import SQLModel, func

from bot.access.vault import new_key
from bot.app import make_client
from bot.cli import main
from bot.config import Settings, load_settings
from bot.organisation.service import load_organisation
from bot.organisation.spec import parse_organisation
from bot.runtime import Runtime
from bot.testing.fake_slack import Call
from jobs.registry import run_job
from storage.models import AccessAudit, AccessDecision, AccessRequest, AccessSecret
from tests.conftest import Served

KEY = new_key()
PASSWORD = "correct-horse-7Battery!"
SEED_TYPED = "jbsw y3dp ehpk 3pxp jbsw y3dp ehpk 3pxq"
SEED = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXQ"

ORG = """
name = "Acme"
timezone = "Europe/London"
leadership_channel = "C0LEADERS"
overall_coordinators = ["U0OVERALL", "U0OVERALL2"]

[[departments]]
name = "Marketing"
review_channel = "C0MKTREVIEW"
coordinators = ["U0MKTLEAD"]
contributors = ["U0ALICE", "U0BOB"]

[[departments]]
name = "Research"
review_channel = "C0RESREVIEW"
coordinators = ["U0RESLEAD"]
contributors = ["U0CAROL"]

[[accounts]]
platform = "linkedin"
handle = "acme"
department = "Marketing"
max_access = "4h"

[[accounts]]
platform = "x"
handle = "acme_ceo"
kind = "leader"
approvals = 2

[[accounts]]
platform = "x"
handle = "acme_news"
department = "Marketing"
"""
RETIRED = '\n[[accounts]]\nplatform = "facebook"\nhandle = "oldpage"\n'


@pytest.fixture
def settings(request: pytest.FixtureRequest, env, monkeypatch) -> Settings:
    if request.node.get_closest_marker("no_vault"):
        monkeypatch.delenv("VAULT_KEYS", raising=False)
    else:
        monkeypatch.setenv("VAULT_KEYS", KEY)
    return load_settings()


@pytest.fixture
def org(runtime: Runtime) -> Runtime:
    for text_ in (ORG + RETIRED, ORG):  # the second load retires facebook:oldpage
        with runtime.session() as session:
            load_organisation(session=session, spec=parse_organisation(text_), now=runtime.now())
    return runtime


# --- helpers ---------------------------------------------------------------------------------


def _reply(served: Served, user: str, command_text: str) -> str:
    before = len(served.fake.calls_to("response_url"))
    response = served.slack.command(user, command_text, command="/access")
    assert response.status == 200
    return served.fake.wait_for("response_url", before + 1)[-1]["text"]


def _click(served: Served, user: str, action: str, value: str, *, channel: str = "D0X"):
    return served.slack.block_action(
        user, action, value=value, channel_id=channel, message_ts="1.1"
    )


def _click_reply(served: Served, user: str, action: str, value: str) -> str:
    before = len(served.fake.calls_to("response_url"))
    _click(served, user, action, value)
    return served.fake.wait_for("response_url", before + 1)[-1]["text"]


def _job(served: Served, after: timedelta) -> str:
    served.clock.advance(after)
    runtime = served.runtime
    return run_job(
        "access-expiry", runtime=runtime, client=make_client(runtime.settings), at=runtime.now()
    )


def _dms(served: Served, user: str) -> list[Call]:
    return [c for c in served.fake.calls_to("chat.postMessage") if c["channel"] == user]


def _set_secret(served: Served, user: str = "U0MKTLEAD", password: str = PASSWORD) -> None:
    before = len(served.fake.calls_to("views.open"))
    served.slack.command(user, "set linkedin:acme", command="/access")
    modal = served.fake.wait_for("views.open", before + 1)[-1].view
    assert modal["callback_id"] == "access_set_submit"
    dms = len(_dms(served, user))
    response = served.slack.view_submission(
        user,
        "access_set_submit",
        {
            "password": {"value": {"value": password}},
            "totp": {"value": {"value": SEED_TYPED}},
            "notes": {"value": {"value": "Recovery codes are in the safe"}},
        },
        private_metadata=modal["private_metadata"],
    )
    assert response.status == 200
    served.fake.wait_for("chat.postMessage", where=lambda c: c["channel"] == user, count=dms + 1)


def _count(served: Served, model) -> int:
    with served.runtime.session() as session:
        return session.exec(select(func.count()).select_from(model)).one()[0]


def _request(served: Served, user: str, account: str, duration: str = "2h") -> int:
    answer = _reply(served, user, f"request {account} {duration} posting the launch video")
    assert "went to" in answer, answer
    with served.runtime.session() as session:
        return session.exec(
            select(func.max(AccessRequest.id)).where(AccessRequest.requester == user)
        ).one()[0]


def _approve(served: Served, user: str, request_id: int) -> None:
    updates = len(served.fake.calls_to("chat.update"))
    _click(served, user, "access_approve", str(request_id))
    served.fake.wait_for("chat.update", updates + 1)


def _grant_dm(served: Served, user: str) -> Call:
    [grant] = served.fake.wait_for(
        "chat.postMessage",
        where=lambda c: c["channel"] == user and "access_reveal" in json.dumps(c.blocks),
    )
    return grant


# --- the whole flow --------------------------------------------------------------------------


def test_request_approve_reveal_warn_expire_rotate(env, org, served: Served, caplog):
    caplog.set_level(logging.INFO)
    _set_secret(served)

    hostile = "posting the launch <!channel> video @here <@U0BOB> *now*"
    answer = _reply(served, "U0ALICE", f"request link 2h {hostile}")
    assert answer.startswith("Request #1 for linkedin:acme went to the account's approvers")
    # To each approver by DM (no access_channel), with Approve and Deny; to Alice, her copy.
    copies = served.fake.wait_for(
        "chat.postMessage",
        3,
        where=lambda c: c["channel"].startswith("U0") and "Access request" in c["text"],
    )
    assert {c["channel"] for c in copies} == {"U0OVERALL", "U0OVERALL2", "U0MKTLEAD"}
    buttons = [e["action_id"] for e in copies[0].blocks[-1]["elements"]]
    assert buttons == ["access_approve", "access_deny"]
    rendered = json.dumps(copies[0].args)
    assert "#1" in rendered and "2h" in rendered and "linkedin:acme" in rendered
    assert "&lt;!channel&gt;" in rendered and "&lt;@U0BOB&gt;" in rendered
    for call in served.fake.calls:
        dumped = json.dumps(call.args)
        assert "<!channel>" not in dumped and "<@U0BOB>" not in dumped
        assert "@here" not in dumped  # neutralised with a word joiner

    # Alice can't approve; the department's coordinator can. Every copy says who and when.
    assert "Only the account's approvers" in _click_reply(served, "U0ALICE", "access_approve", "1")
    _approve(served, "U0MKTLEAD", 1)
    updates = served.fake.wait_for("chat.update", 3)
    assert all("Approved by <@U0MKTLEAD>" in json.dumps(u.blocks) for u in updates)
    grant = _grant_dm(served, "U0ALICE")
    assert "Access #1" in grant["text"]

    # Reveal: a modal with the password and the current code; Refresh updates it in place.
    _click(served, "U0ALICE", "access_reveal", "1")
    [modal] = served.fake.wait_for("views.open", 2)[1:]
    shown = json.dumps(modal.view)
    code = pyotp.TOTP(SEED).at(served.clock())
    assert PASSWORD in shown and code in shown
    assert "Valid for 30 more seconds" in shown  # 10:00:00 exactly
    assert modal.view["private_metadata"] == "1"
    served.clock.advance(timedelta(seconds=45))
    served.slack.block_action(
        "U0ALICE", "access_refresh", value="1", view={"id": "V0REVEAL", **modal.view}
    )
    [refreshed] = served.fake.wait_for("views.update")
    assert refreshed["view_id"] == "V0REVEAL"
    assert pyotp.TOTP(SEED).at(served.clock()) in json.dumps(refreshed.view)
    assert "Valid for 15 more seconds" in json.dumps(refreshed.view)

    # Bob clicking Alice's Reveal is refused, and the attempt is audited.
    assert "Only the person" in _click_reply(served, "U0BOB", "access_reveal", "1")

    # The next job run asks the approvers to rotate, naming who saw the password.
    summary = _job(served, timedelta(minutes=1))
    assert "1 rotation prompts" in summary
    prompts = [
        c for c in served.fake.calls_to("chat.postMessage") if "rotate the password" in c["text"]
    ]
    assert {p["channel"] for p in prompts} == {"U0OVERALL", "U0OVERALL2", "U0MKTLEAD"}
    assert "<@U0ALICE> saw it" in prompts[0]["text"]

    # 10 minutes before the end Alice is warned, once.
    _job(served, timedelta(hours=1, minutes=49))
    _job(served, timedelta(minutes=1))
    warnings = [c for c in _dms(served, "U0ALICE") if "ends in 10 minutes" in c["text"]]
    assert len(warnings) == 1

    # At the end the grant closes, Alice is told, her DM loses Reveal, and Reveal is refused.
    assert "1 ended" in _job(served, timedelta(minutes=10))
    assert any("has ended" in c["text"] for c in _dms(served, "U0ALICE"))
    grant_updates = [c for c in served.fake.calls_to("chat.update") if c["ts"] == grant_ts(served)]
    assert grant_updates and "access_reveal" not in json.dumps(grant_updates[-1].blocks)
    assert "has ended" in _click_reply(served, "U0ALICE", "access_reveal", "1")
    with served.runtime.session() as session:
        assert session.get(AccessRequest, 1).status == "ended"

    # A week later the prompt repeats; after `/access set` records a rotation it stops.
    before = len(prompts)
    _job(served, timedelta(days=7))
    prompts = [
        c for c in served.fake.calls_to("chat.postMessage") if "rotate the password" in c["text"]
    ]
    assert len(prompts) == before + 3
    _set_secret(served, "U0OVERALL", password="a-new-password-99")
    _job(served, timedelta(days=7, minutes=1))
    again = [
        c for c in served.fake.calls_to("chat.postMessage") if "rotate the password" in c["text"]
    ]
    assert len(again) == len(prompts)

    kinds = _audit_kinds(served)
    for kind in (
        "secret_set",
        "requested",
        "granted",
        "revealed",
        "reveal_refused",
        "ended",
        "secret_rotated",
    ):
        assert kind in kinds
    assert main(["access", "verify-audit"]) == 0
    _assert_no_leak(served, caplog, [PASSWORD, SEED, SEED_TYPED, code, "a-new-password-99"])


def grant_ts(served: Served) -> str:
    grant = _grant_dm(served, "U0ALICE")
    [message] = [m for m in served.fake.messages["D0ALICE"] if m.get("text") == grant["text"]]
    return message["ts"]


def _audit_kinds(served: Served) -> list[str]:
    with served.runtime.session() as session:
        return [row.kind for row in session.exec(select(AccessAudit)).scalars()]


def _assert_no_leak(served: Served, caplog, secrets: list[str]) -> None:
    """The password may appear only inside a reveal modal's blocks; the seed nowhere; nothing in
    any message, update, response, button value, private_metadata, log line or column."""
    for call in served.fake.calls:
        view = call.view if "view" in call else {}
        allowed = (
            call.method in ("views.open", "views.update")
            and view.get("callback_id") == "access_reveal_view"
        )
        dumped = json.dumps(call.args)
        for secret in secrets:
            if allowed and secret not in (SEED, SEED_TYPED):
                assert secret not in view.get("private_metadata", "")
                values = [
                    e.get("value", "")
                    for b in call.blocks
                    for e in b.get("elements", [])
                    if isinstance(e, dict)
                ]
                assert all(secret not in v for v in values)
                continue
            assert secret not in dumped, (call.method, secret)
    logged = caplog.text + "".join(str(r.__dict__) for r in caplog.records)
    for secret in secrets:
        assert secret not in logged
    _assert_not_in_database(served, secrets)


def _assert_not_in_database(served: Served, secrets: list[str]) -> None:
    engine = served.runtime.engine
    if engine.dialect.name == "sqlite":
        path = Path(engine.url.database or "")
        blobs = b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
        for secret in secrets:
            assert secret.encode() not in blobs
        return
    with engine.connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            columns = [
                c["name"]
                for c in inspect(connection).get_columns(table.name)
                if isinstance(c["type"], String | Text)
            ]
            for column in columns:
                for secret in secrets:
                    found = connection.execute(
                        text(f'SELECT count(*) FROM "{table.name}" WHERE "{column}" LIKE :s'),
                        {"s": f"%{secret}%"},
                    ).scalar()
                    assert not found, (table.name, column)


# --- refusals: each clear, and nothing changes -----------------------------------------------


@pytest.mark.parametrize(
    ("command_text", "expected"),
    [
        ("request linkedn:acme 2h launch", "Did you mean `linkedin:acme`?"),
        ("request facebook:oldpage 2h launch", "retired"),
        ("request x:acme 2h launch", "`x:acme_ceo`, `x:acme_news`"),
        ("request linkedin:acme 0m launch", "more than zero"),
        ("request linkedin:acme -2h launch", "can't be negative"),
        ("request linkedin:acme 3 weeks launch", "couldn't read that duration"),
        ("request linkedin:acme 5h launch", "linkedin:acme allows at most 4h"),
        ("request linkedin:acme 2h", "Please give a reason"),
        ("request linkedin:acme", "Please give a reason"),
        ("revoke #99999999999999999999", "no request with that number"),
        ("frobnicate <!channel>", "I don't know `frobnicate"),
    ],
)
def test_bad_requests_are_refused_and_change_nothing(
    env, org, served: Served, command_text, expected
):
    answer = _reply(served, "U0ALICE", command_text)
    assert expected in answer
    assert "<!channel>" not in answer
    assert _count(served, AccessRequest) == 0 and _count(served, AccessAudit) == 0


def test_one_open_request_per_person_and_account(env, org, served: Served):
    _request(served, "U0ALICE", "linkedin:acme")
    audits = _count(served, AccessAudit)
    assert "already have a pending or active request" in _reply(
        served, "U0ALICE", "request linkedin:acme 1h again"
    )
    assert _count(served, AccessRequest) == 1 and _count(served, AccessAudit) == audits


def test_revoke_is_for_the_grantee_and_approvers_and_ends_reveal(env, org, served: Served):
    _set_secret(served)
    request_id = _request(served, "U0ALICE", "linkedin:acme")
    _approve(served, "U0OVERALL", request_id)
    assert "only revoke your own" in _reply(served, "U0BOB", f"revoke #{request_id}")
    with served.runtime.session() as session:
        assert session.get(AccessRequest, request_id).status == "active"
    assert "is revoked" in _reply(served, "U0MKTLEAD", f"revoke #{request_id}")
    assert any("was revoked by <@U0MKTLEAD>" in c["text"] for c in _dms(served, "U0ALICE"))
    assert "was revoked" in _click_reply(served, "U0ALICE", "access_reveal", str(request_id))
    assert "reveal_refused" in _audit_kinds(served) and "revoked" in _audit_kinds(served)


def test_secrets_never_come_through_command_text_and_seeds_must_be_base32(env, org, served: Served):
    answer = _reply(served, "U0MKTLEAD", "set linkedin:acme hunter2")
    assert "nothing was stored" in answer and "hunter2" not in answer
    assert all("hunter2" not in json.dumps(c.args) for c in served.fake.calls)
    served.slack.command("U0MKTLEAD", "set linkedin:acme", command="/access")
    [modal] = served.fake.wait_for("views.open")
    response = served.slack.view_submission(
        "U0MKTLEAD",
        "access_set_submit",
        {
            "password": {"value": {"value": "pw-123456"}},
            "totp": {"value": {"value": "not base32!"}},
        },
        private_metadata=modal.view["private_metadata"],
    )
    assert response.json()["response_action"] == "errors"
    assert "base32" in response.json()["errors"]["totp"]
    assert "not base32!" not in response.body
    assert _count(served, AccessSecret) == 0 and _count(served, AccessAudit) == 0
    assert "approvers" in _reply(served, "U0ALICE", "set linkedin:acme")


def test_deny_asks_for_a_reason_and_tells_the_requester(env, org, served: Served):
    request_id = _request(served, "U0ALICE", "linkedin:acme")
    _click(served, "U0MKTLEAD", "access_deny", str(request_id))
    [modal] = served.fake.wait_for("views.open")
    assert (
        served.slack.view_submission(
            "U0MKTLEAD",
            "access_deny_submit",
            {"reason": {"value": {"value": " "}}},
            private_metadata=modal.view["private_metadata"],
        ).json()["response_action"]
        == "errors"
    )
    served.slack.view_submission(
        "U0MKTLEAD",
        "access_deny_submit",
        {"reason": {"value": {"value": "Use the scheduler <!here>"}}},
        private_metadata=modal.view["private_metadata"],
    )
    [told] = served.fake.wait_for(
        "chat.postMessage", where=lambda c: c["channel"] == "U0ALICE" and "denied" in c["text"]
    )
    assert "Use the scheduler &lt;!here&gt;" in told["text"]
    assert "already denied" in _click_reply(served, "U0OVERALL", "access_approve", str(request_id))


def test_concurrent_approve_clicks_make_one_decision(env, org, served: Served):
    request_id = _request(served, "U0ALICE", "linkedin:acme")
    before = len(served.fake.calls_to("response_url"))
    barrier = threading.Barrier(3)

    def click(user: str) -> None:
        barrier.wait()
        _click(served, user, "access_approve", str(request_id))

    threads = [
        threading.Thread(target=click, args=(u,)) for u in ("U0MKTLEAD", "U0MKTLEAD", "U0OVERALL")
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    losers = served.fake.wait_for("response_url", before + 2, timeout=10)[before:]
    assert len(losers) == 2
    with served.runtime.session() as session:
        [decision] = session.exec(select(AccessDecision)).scalars().all()
    for loser in losers:
        assert f"<@{decision.decided_by}> already approved #{request_id}" in loser["text"]
    _grant_dm(served, "U0ALICE")  # exactly one grant message
    assert _audit_kinds(served).count("granted") == 1


def test_two_approvals_from_two_people(env, org, served: Served):
    request_id = _request(served, "U0ALICE", "x:acme_ceo")
    _approve(served, "U0OVERALL", request_id)
    assert "already approved" in _click_reply(
        served, "U0OVERALL", "access_approve", str(request_id)
    )
    with served.runtime.session() as session:
        assert session.get(AccessRequest, request_id).status == "pending"
    _approve(served, "U0OVERALL2", request_id)
    _grant_dm(served, "U0ALICE")
    with served.runtime.session() as session:
        assert session.get(AccessRequest, request_id).status == "active"


def test_break_glass_after_fifteen_minutes_with_a_confirmed_modal(env, org, served: Served):
    request_id = _request(served, "U0MKTLEAD", "x:acme_news", "1h")
    assert "15 minutes" in _reply(served, "U0MKTLEAD", f"break-glass #{request_id} site down")
    assert "1 break-glass offers" in _job(served, timedelta(minutes=16))
    offer = served.fake.wait_for(
        "chat.update", where=lambda c: "access_break_glass" in json.dumps(c.blocks)
    )
    assert offer
    _click(served, "U0MKTLEAD", "access_break_glass", str(request_id))
    [modal] = served.fake.wait_for("views.open")
    unconfirmed = served.slack.view_submission(
        "U0MKTLEAD",
        "access_break_glass_submit",
        {"reason": {"value": {"value": "site down"}}},
        private_metadata=modal.view["private_metadata"],
    )
    assert "confirm" in unconfirmed.json()["errors"]
    served.slack.view_submission(
        "U0MKTLEAD",
        "access_break_glass_submit",
        {
            "reason": {"value": {"value": "site down"}},
            "confirm": {"value": {"selected_options": [{"value": "confirm"}]}},
        },
        private_metadata=modal.view["private_metadata"],
    )
    alerts = served.fake.wait_for(
        "chat.postMessage",
        2,
        where=lambda c: "break-glass" in c["text"] and c["channel"].startswith("U0OVERALL"),
    )
    assert {a["channel"] for a in alerts} == {"U0OVERALL", "U0OVERALL2"}
    assert "break_glass" in _audit_kinds(served)
    with served.runtime.session() as session:
        grant = session.get(AccessRequest, request_id)
        assert grant.status == "active" and grant.break_glass


def test_unanswered_requests_expire_after_a_day(env, org, served: Served):
    request_id = _request(served, "U0BOB", "linkedin:acme")
    assert "0 requests expired" in _job(served, timedelta(hours=23, minutes=59))
    assert "1 requests expired" in _job(served, timedelta(minutes=1))
    assert any("expired" in c["text"] for c in _dms(served, "U0BOB"))
    with served.runtime.session() as session:
        assert session.get(AccessRequest, request_id).status == "expired"
    assert "no longer waiting" in _click_reply(
        served, "U0MKTLEAD", "access_approve", str(request_id)
    )


def test_lists_help_home_and_audit(env, org, served: Served):
    request_id = _request(served, "U0ALICE", "linkedin:acme")
    assert f"#{request_id}" in json.dumps(served.fake.calls_to("response_url")[-1].args)
    served.slack.command("U0MKTLEAD", "list", command="/access")
    listing = served.fake.wait_for("response_url", 2)[-1]
    assert "Pending and active in your accounts" in json.dumps(listing.args)
    assert _reply(served, "U0MKTLEAD", "audit linkedin:acme 2027-01-15") == "Access audit"
    audit = json.dumps(served.fake.calls_to("response_url")[-1].args)
    assert "requested" in audit and "<@U0ALICE>" in audit
    assert "Only the account's approvers" in _reply(served, "U0ALICE", "audit")
    _reply(served, "U0ALICE", "help")
    assert "/access request" in json.dumps(served.fake.calls_to("response_url")[-1].args)
    served.slack.command("U0ALICE", "help", command="/social")
    social_help = served.fake.wait_for("response_url", 6)[-1]
    assert "*Access*" in json.dumps(social_help.args)
    served.slack.app_home_opened("U0MKTLEAD")
    [home] = served.fake.wait_for("views.publish")
    assert "Waiting for you" in json.dumps(home.view) and f"#{request_id}" in json.dumps(home.view)


def test_dates_from_another_year_show_the_year(env, org, served: Served):
    """The fixture's clock starts on Fri 15 Jan 2027 10:00 UTC (Europe/London: the same)."""
    old = _request(served, "U0ALICE", "linkedin:acme")
    served.clock.advance(timedelta(days=365))  # Sat 15 Jan 2028, 10:00
    new = _request(served, "U0BOB", "linkedin:acme")
    assert _reply(served, "U0MKTLEAD", "audit linkedin:acme") == "Access audit"
    audit = json.dumps(served.fake.calls_to("response_url")[-1].args, ensure_ascii=False)
    assert f"Fri 15 Jan 2027, 10:00 · *requested* · <@U0ALICE> · linkedin:acme · #{old}" in audit
    assert f"Sat 15 Jan, 10:00 · *requested* · <@U0BOB> · linkedin:acme · #{new}" in audit
    assert "2028" not in audit
    served.slack.command("U0MKTLEAD", "list", command="/access")
    listing = json.dumps(served.fake.wait_for("response_url", 4)[-1].args, ensure_ascii=False)
    assert f"`#{old}` *linkedin:acme* · pending since Fri 15 Jan 2027, 10:00" in listing
    assert f"`#{new}` *linkedin:acme* · pending since Sat 15 Jan, 10:00" in listing


@pytest.mark.no_vault
def test_without_vault_keys_access_says_what_to_do(env, org, served: Served):
    answer = _reply(served, "U0ALICE", "request linkedin:acme 2h launch")
    assert "isn't configured" in answer and "VAULT_KEYS" in answer
    assert _count(served, AccessRequest) == 0
    served.slack.command("U0ALICE", "help", command="/social")  # the rest of the app runs
    served.fake.wait_for("response_url", 2)


def test_a_malformed_vault_key_stops_start_up_without_echoing_it(env, monkeypatch, capsys):
    monkeypatch.setenv("VAULT_KEYS", f"{KEY},not-a-real-key-xyz")
    assert main(["jobs", "run", "access-expiry"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "VAULT_KEYS" in err and "key 2 of 2" in err
    assert "not-a-real-key-xyz" not in err and KEY not in err


def test_revoke_buttons_ask_first_and_check_who_clicked(env, org, served: Served):
    """Once granted, the approvers' copy offers Revoke and the grantee's DM "I'm done": both
    confirm first, and only those `revoke` allows may use them."""
    _set_secret(served)
    request_id = _request(served, "U0ALICE", "linkedin:acme")
    _approve(served, "U0OVERALL", request_id)
    grant = _grant_dm(served, "U0ALICE")
    mine = {
        e["action_id"]: e for b in grant.blocks if b["type"] == "actions" for e in b["elements"]
    }
    assert mine["access_revoke"]["confirm"]["confirm"]["text"] == "End access"
    updated = [
        c
        for c in served.fake.calls_to("chat.update")
        if "access_revoke" in json.dumps(c.blocks) and "Access request" in c["text"]
    ]
    assert updated, "the approvers' copy offers Revoke once granted"
    [revoke] = [
        e
        for b in updated[-1].blocks
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == "access_revoke"
    ]
    assert revoke["style"] == "danger" and revoke["confirm"]["title"]["type"] == "plain_text"

    assert "only revoke your own" in _click_reply(served, "U0BOB", "access_revoke", revoke["value"])
    with served.runtime.session() as session:
        assert session.get(AccessRequest, request_id).status == "active"
    said = _click_reply(served, "U0ALICE", "access_revoke", mine["access_revoke"]["value"])
    assert "is revoked" in said
    with served.runtime.session() as session:
        assert session.get(AccessRequest, request_id).status == "revoked"
    assert "revoked" in _audit_kinds(served)
    forged = _click_reply(served, "U0ALICE", "access_revoke", "99999999999999999999")
    assert "no request with that number" in forged
