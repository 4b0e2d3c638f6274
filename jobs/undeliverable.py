"""Telling coordinators when the bot could not reach one of their contributors."""

from __future__ import annotations

from collections import defaultdict
from zoneinfo import ZoneInfo

from bot.nudges.digests import DigestItem
from bot.slack.views.common import Block, escape, mention, section, when
from jobs.delivery import Delivery, Outcome, deliver
from jobs.registry import JobContext


def report_undeliverable(ctx: JobContext, failures: list[Delivery]) -> int:
    """One message per coordinator listing what did not reach whom. Returns messages sent."""
    if not failures:
        return 0
    runtime = ctx.runtime
    with runtime.session() as session:
        directory = runtime.organisation(session)
    by_coordinator: dict[str, list[tuple[int, str]]] = defaultdict(list)
    errors: dict[int, str] = {}
    for failure in failures:
        for item in failure.items:
            errors[item.slot_id] = failure.error
            department_id = directory.department_named(item.department)
            coordinators = directory.coordinators_of(department_id) if department_id else ()
            for coordinator in coordinators or directory.overall_coordinators:
                by_coordinator[coordinator].append(
                    (item.slot_id, f"undeliverable:{item.stage}:{coordinator}")
                )
    sent = 0
    for coordinator, items in sorted(by_coordinator.items()):
        delivery = deliver(
            ctx,
            recipient=coordinator,
            kind="undeliverable",
            items=items,
            render=lambda shown: _message(shown, errors, directory.timezone),
            event="undeliverable_reported",
        )
        sent += delivery.outcome is Outcome.SENT
    return sent


def _message(
    items: list[DigestItem], errors: dict[int, str], tz: ZoneInfo
) -> tuple[str, list[Block]]:
    lines = [
        f"• *{escape(i.topic)}* (due `{when(i.due_at, tz)}`) for {mention(i.contributor_id)}:"
        f" Slack said `{errors.get(i.slot_id, 'error')}`"
        for i in items
    ]
    text = "I couldn't deliver some reminders"
    intro = (
        "I couldn't deliver these reminders (the person may have left or be deactivated). "
        "You may want to reassign them:"
    )
    return text, [section(intro), section("\n".join(lines))]
