"""Welcome DMs: everyone newly in the organisation file gets one, exactly once (the outbox's
claim on `welcome:<user>`), in their waking hours.

Sent by the `welcome` job rather than by `org load`: the CLI loads the file without a Slack
client (and must work when Slack is unreachable), and a job's run settles a send a crash left
in doubt, which a one-off command cannot."""

from __future__ import annotations

from bot.organisation.welcome import PERSON_ID, to_welcome, welcome_stage
from bot.slack.context import SlackContext
from bot.slack.outbox import Key, Outcome, Subject, send_once
from bot.slack.people import timezones_for
from bot.slack.views.welcome import welcome_message

WAKING = range(8, 21)  # local hours a welcome may arrive, as for reminders


def send_welcomes(ctx: SlackContext) -> str:
    runtime = ctx.runtime
    with runtime.session() as session:
        directory = runtime.organisation(session)
        pending = to_welcome(session, directory)
    if not pending:
        return "0 welcomed"
    zones = timezones_for(
        runtime=runtime,
        client=ctx.client,
        user_ids={w.user_id for w in pending},
        fallback=directory.timezone,
    )
    now = runtime.now()
    sent = failed = in_doubt = later = 0
    for welcome in pending:
        if now.astimezone(zones[welcome.user_id]).hour not in WAKING:
            later += 1
            continue
        message = welcome_message(welcome)
        outcome = send_once(
            ctx,
            recipient=welcome.user_id,
            kind="welcome",
            keys=[Key(Subject.PERSON, PERSON_ID, welcome_stage(welcome.user_id))],
            render=lambda _id, m=message: m,  # type: ignore[misc]
        ).outcome
        sent += outcome is Outcome.SENT
        failed += outcome is Outcome.FAILED
        in_doubt += outcome is Outcome.IN_DOUBT
    return (
        f"{sent} welcomed, {failed} failed, {in_doubt} in doubt (the next run checks), "
        f"{later} later (outside their waking hours)"
    )
