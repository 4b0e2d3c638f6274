"""Review nudges: a draft waiting too long for a decision nudges its reviewers once, in its
thread. Reviewers whose Slack status says they are away are skipped for the department's backup
coordinators, or, failing those, the overall coordinators."""

from __future__ import annotations

from datetime import datetime

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.flows.review import post_for_review
from bot.organisation.directory import Directory
from bot.organisation.roles import Role
from bot.review.waiting import is_away, working_hours_between
from bot.slack.context import SlackContext
from bot.slack.outbox import Outcome, deliver
from bot.slack.views.common import mention
from storage.models import Slot
from storage.repositories import organisation as org_repo
from storage.repositories import reviews as repo


def reviewers(directory: Directory, department_id: int, away: set[str]) -> tuple[str, ...]:
    """Who should decide now: present coordinators, else present backups, else overall."""
    for group in (
        directory.coordinators_of(department_id),
        directory.coordinators_of(department_id, Role.BACKUP),
        directory.overall_coordinators,
    ):
        present = tuple(u for u in group if u not in away)
        if present:
            return present
    return directory.overall_coordinators


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
        waiting = repo.unposted_drafts(session)
    return sum(post_for_review(ctx, draft_id) for draft_id in waiting)


def nudge_reviewers(ctx: SlackContext) -> str:
    """Post drafts Slack refused earlier, and nudge the reviewers of drafts waiting too long."""
    posted = _post_unposted(ctx)
    return f"{_nudge_waiting(ctx)}, {posted} drafts posted late for review"


def _nudge_waiting(ctx: SlackContext) -> str:
    runtime, now = ctx.runtime, ctx.runtime.now()
    with runtime.session() as session:
        directory = runtime.organisation(session)
        org = org_repo.get_organisation(session)
        limit = org.review_nudge_hours if org else 24
        waiting = [
            (draft, review, session.get(Slot, draft.slot_id))
            for draft, review in repo.awaiting_decision(session)
            if working_hours_between(draft.posted_at or draft.created_at, now, directory.timezone)
            >= limit
        ]
    if not waiting:
        return "no drafts waiting too long"
    people = {
        u
        for _, _, slot in waiting
        if slot is not None
        for u in (
            *directory.coordinators_of(slot.department_id),
            *directory.coordinators_of(slot.department_id, Role.BACKUP),
        )
    }
    away = _away(ctx.client, people, now)
    sent = 0
    for draft, review, slot in waiting:
        if slot is None or slot.id is None:
            continue
        who = reviewers(directory, slot.department_id, away)
        text = (
            f"{' '.join(mention(u) for u in who)}: draft v{draft.version} of this post has waited "
            f"over {limit} working hours for a decision."
        )
        delivery = deliver(
            ctx,
            recipient=review.channel,
            thread_ts=review.root_ts,
            kind="review-nudge",
            items=[(slot.id, f"review-wait:v{draft.version}")],
            render=lambda shown, t=text: (t, []),
            event="review_nudged",
        )
        sent += delivery.outcome is Outcome.SENT
    return f"{sent} review threads nudged ({len(away)} reviewers away)"
