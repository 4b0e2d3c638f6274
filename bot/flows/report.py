"""The monthly report: made from storage, written to files, posted to Slack exactly once.

Web side (`/social report`): the permission rule, then a queued row; nothing heavy runs there,
so the web process never imports matplotlib. Worker side (jobs `monthly-report` and
`report-requests`): build the report, draw the charts, and post it: claim the delivery's
unique key, post the headline message carrying that key in its metadata, upload the charts in
its thread (files upload v2), then the advice. A crash after the post is settled by finding the
message by its key; nothing is ever posted twice for the same key."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.report import deliveries
from bot.report.access import ReportRefusal, decide_report
from bot.report.loader import load_input
from bot.report.model import Report, build_report
from bot.runtime import Runtime
from bot.schedule.timing import Month
from bot.slack.uploads import Upload, upload_to_thread
from bot.slack.views.report import advice_message, report_message

if TYPE_CHECKING:
    from bot.report.charts import Chart

log = logging.getLogger("socialbot.report")
METADATA_EVENT = "socialbot_report"
IN_DOUBT_AFTER = timedelta(minutes=5)  # a younger claim may still be in flight
SEND_HOUR = 9  # the 1st of the month, in the organisation's timezone


def wall_clock() -> datetime:
    return datetime.now(UTC)


# --- making the report ------------------------------------------------------------------------


def make_report(runtime: Runtime, month: Month, department: str | None = None) -> Report:
    with runtime.session() as session:
        data = load_input(session, month, department=department)
    return build_report(data)


def draw_charts(report: Report) -> list[Chart]:
    # Imported here, not at the top: this module is also the web process's (for /social report)
    # and matplotlib must never be loaded there (memory, start-up time).
    from bot.report.charts import render_charts

    return render_charts(report)


def write_files(runtime: Runtime, month: Month, department: str | None, out: Path) -> list[Path]:
    """`report build`: report.md, report.json and every chart as PNG in `out`. Raises
    NoOrganisation before the first `org load` (a report of nobody's posts helps no one)."""
    with runtime.session() as session:
        runtime.organisation(session)
    report = make_report(runtime, month, department)
    out.mkdir(parents=True, exist_ok=True)
    written = [out / "report.md", out / "report.json"]
    written[0].write_text(report.markdown(), encoding="utf-8")
    written[1].write_text(report.json_text(), encoding="utf-8")
    for chart in draw_charts(report):
        path = out / f"{chart.name}.png"
        path.write_bytes(chart.png)
        written.append(path)
    return written


# --- the scheduled report ---------------------------------------------------------------------


def due_month(at: datetime, runtime: Runtime) -> Month | None:
    """The month before `at`, once its report is due (the 1st, 09:00 organisation time)."""
    with runtime.session() as session:
        tz = runtime.organisation(session).timezone
    local = at.astimezone(tz)
    if local.day == 1 and local.time() < time(SEND_HOUR):
        return None
    return Month(local.year, local.month).previous()


def monthly(runtime: Runtime, client: WebClient, at: datetime) -> str:
    """Post the report of the month before `at` to the leadership channel, once ever."""
    month = due_month(at, runtime)
    if month is None:
        return "not due yet (the 1st at 09:00)"
    key = f"monthly:{month}"
    with runtime.session() as session:
        existing = deliveries.by_key(session, key)
        channel = runtime.organisation(session).leadership_channel
    if existing is not None and existing.state == "done":
        return f"{month}: already posted"
    if existing is not None and existing.state == "failed" and existing.id is not None:
        with runtime.session() as session:  # Slack refused it: nothing was posted; try again
            deliveries.set_state(
                session, existing.id, state="sending", claimed_at=wall_clock(), error=""
            )
    report = make_report(runtime, month)
    charts = draw_charts(report)
    if existing is None:
        with runtime.session() as session:
            delivery_id = deliveries.claim_monthly(
                session, key=key, month=str(month), channel=channel, now=wall_clock()
            )
        if delivery_id is None:
            return f"{month}: another worker has it"
    else:
        assert existing.id is not None
        delivery_id = existing.id
    claimed_now = existing is None or existing.state == "failed"
    outcome = deliver(runtime, client, delivery_id, report, charts, claimed_now=claimed_now)
    return f"{month}: {outcome}"


# --- on demand --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RequestAnswer:
    ok: bool
    month: str
    department: str | None = None
    refusal: ReportRefusal | None = None
    unknown_department: str | None = None
    overall: tuple[str, ...] = ()


def request_report(
    runtime: Runtime, *, user_id: str, month: Month | None, department: str | None
) -> RequestAnswer:
    """Check who is asking, then queue the report for the worker to make and DM."""
    with runtime.session() as session:
        directory = runtime.organisation(session)
        chosen = month or Month.containing(runtime.now(), directory.timezone).previous()
        department_id = None
        if department is not None:
            department_id = directory.department_named(department)
            if department_id is None:
                return RequestAnswer(False, str(chosen), unknown_department=department)
        decision = decide_report(
            directory.roles(user_id),
            leadership=user_id in directory.leadership,
            department_id=department_id,
        )
        if not decision.ok:
            return RequestAnswer(
                False, str(chosen), refusal=decision.reason, overall=directory.overall_coordinators
            )
        name = directory.departments.get(decision.department_id) if decision.department_id else None
        deliveries.queue_request(session, month=str(chosen), department=name, user_id=user_id)
    return RequestAnswer(True, str(chosen), department=name)


def requested(runtime: Runtime, client: WebClient) -> str:
    """Make and DM every queued report (and settle any a crash left half sent)."""
    with runtime.session() as session:
        waiting = [
            (d.id, d.state, d.month, d.department) for d in deliveries.pending_requests(session)
        ]
    sent = 0
    for delivery_id, state, month_text, department in waiting:
        assert delivery_id is not None
        if state == "queued":
            with runtime.session() as session:
                if not deliveries.take_queued(session, delivery_id, wall_clock()):
                    continue
        month = Month.parse(month_text)
        assert month is not None
        report = make_report(runtime, month, department)
        outcome = deliver(
            runtime, client, delivery_id, report, draw_charts(report), claimed_now=state == "queued"
        )
        sent += outcome == "posted"
    return f"{sent} requested reports sent, {len(waiting) - sent} other"


# --- posting once -----------------------------------------------------------------------------


def deliver(
    runtime: Runtime,
    client: WebClient,
    delivery_id: int,
    report: Report,
    charts: list[Chart],
    *,
    claimed_now: bool,
) -> str:
    """Bring one claimed delivery to done; `claimed_now` when the caller has just claimed it.
    Returns what happened."""
    with runtime.session() as session:
        row = deliveries.get(session, delivery_id)
        assert row is not None
        state, key, recipient, channel, ts = row.state, row.key, row.recipient, row.channel, row.ts
        claimed_at, charts_at = row.claimed_at, row.charts_at
    if state == "sending":
        if not claimed_now:
            if claimed_at is not None and wall_clock() - claimed_at <= IN_DOUBT_AFTER:
                return "being sent by another run"
            found = _find(client, recipient, key, claimed_at or wall_clock())
            if found is None:
                return "still in doubt (Slack could not be asked); next run"
            if found != ("", ""):
                channel, ts = found
        if ts is None:
            text, blocks = report_message(report)
            try:
                reply = client.chat_postMessage(
                    channel=recipient,
                    text=text,
                    blocks=blocks,
                    unfurl_links=False,
                    metadata={"event_type": METADATA_EVENT, "event_payload": {"key": key}},
                )
            except OSError:
                return "in doubt (connection failed); the next run checks"
            except SlackApiError as exc:
                if exc.response.status_code >= 500:
                    return "in doubt (Slack answered 5xx); the next run checks"
                error = str(exc.response.get("error", "unknown_error"))[:100]
                with runtime.session() as session:
                    deliveries.set_state(session, delivery_id, state="failed", error=error)
                log.warning("report not delivered", extra={"detail": error})
                return f"failed: {error}"
            channel, ts = str(reply["channel"]), str(reply["ts"])
        with runtime.session() as session:
            deliveries.set_state(session, delivery_id, state="posted", channel=channel, ts=ts)
    assert channel is not None and ts is not None
    if charts_at is None:
        uploads = [Upload(f"{c.name}.png", c.title, c.png) for c in charts]
        upload_to_thread(client, channel=channel, thread_ts=ts, files=uploads)
        with runtime.session() as session:
            deliveries.set_state(session, delivery_id, charts_at=wall_clock())
    text, blocks = advice_message(report)
    client.chat_postMessage(
        channel=channel, thread_ts=ts, text=text, blocks=blocks, unfurl_links=False
    )
    with runtime.session() as session:
        deliveries.set_state(session, delivery_id, state="done", finished_at=wall_clock())
    return "posted"


def _find(
    client: WebClient, recipient: str, key: str, claimed_at: datetime
) -> tuple[str, str] | None:
    """(channel, ts) of the message carrying `key`; ("", "") when it is not there; None when
    Slack could not be asked."""
    try:
        channel = recipient
        if recipient.startswith(("U", "W")):
            channel = client.conversations_open(users=recipient)["channel"]["id"]
        history = client.conversations_history(
            channel=channel,
            oldest=f"{claimed_at.timestamp() - 60:.6f}",
            include_all_metadata=True,
            limit=200,
        )
    except (SlackApiError, OSError):
        return None
    messages: list[dict[str, Any]] = history.get("messages", [])
    for message in messages:
        if (message.get("metadata") or {}).get("event_payload", {}).get("key") == key:
            return channel, str(message["ts"])
    return "", ""
