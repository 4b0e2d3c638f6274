"""Review nudges: a draft waiting too long for a decision nudges its reviewers once, in its
thread. Reviewers whose Slack status says they are away are skipped for the department's backup
coordinators, or, failing those, the overall coordinators."""

from __future__ import annotations

from datetime import datetime

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.flows.review import post_for_review
from bot.organisation.roles import Role
from bot.review.service import unposted_drafts, waiting_too_long
from bot.review.waiting import is_away, reviewers
from bot.slack.context import SlackContext
from bot.slack.outbox import Outcome, deliver, stage, text_only
from bot.slack.views.common import mention


def _away(client: WebClient, users: set[str], now: datetime) -> set[str]:
    away = set()
    for user in users:
        try:
            profile = client.users_info(user=user)["user"].get("profile") or {}
        except SlackApiError:
            continue
        if is_away(profile, now):
            away.add(user)
    return away


def _post_unposted(ctx: SlackContext) -> int:
    with ctx.runtime.session() as session:
        waiting = unposted_drafts(session)
    return sum(post_for_review(ctx, draft_id) for draft_id in waiting)


def nudge_reviewers(ctx: SlackContext) -> str:
    """Post drafts Slack refused earlier, and nudge the reviewers of drafts waiting too long."""
    posted = _post_unposted(ctx)
    return f"{_nudge_waiting(ctx)}, {posted} drafts posted late for review"


def _nudge_waiting(ctx: SlackContext) -> str:
    runtime, now = ctx.runtime, ctx.runtime.now()
    with runtime.session() as session:
        directory = runtime.organisation(session)
        limit, waiting = waiting_too_long(session=session, directory=directory, now=now)
    if not waiting:
        return "no drafts waiting too long"
    people = {
        u
        for w in waiting
        for u in (
            *directory.coordinators_of(w.department_id),
            *directory.coordinators_of(w.department_id, Role.BACKUP),
        )
    }
    away = _away(ctx.client, people, now)
    sent = 0
    for w in waiting:
        who = reviewers(directory, w.department_id, away)
        text = (
            f"{' '.join(mention(u) for u in who)}: draft v{w.version} of this post has waited "
            f"over {limit} working hours for a decision."
        )
        delivery = deliver(
            ctx,
            recipient=w.channel,
            thread_ts=w.root_ts,
            kind="review-nudge",
            items=[(w.slot_id, stage("review-wait", f"v{w.version}"))],
            render=text_only(text),
            event="review_nudged",
        )
        sent += delivery.outcome is Outcome.SENT
    return f"{sent} review threads nudged ({len(away)} reviewers away)"
