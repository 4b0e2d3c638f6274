"""`/social`'s answers: help, the schedule, recurring rules and a slot's history, each for
the person who asked, in their own timezone. Each returns the message to show them."""

from __future__ import annotations

from bot.drafts.service import SlotFacts, decide_restore
from bot.schedule.history import slot_history
from bot.schedule.reader import ScheduleAnswer, ScheduleQuery, schedule_for
from bot.schedule.rules import rules_for
from bot.slack.context import SlackContext
from bot.slack.views.common import Block
from bot.slack.views.help import help_message
from bot.slack.views.history import history_message
from bot.slack.views.rules import no_such_department, rules_message
from bot.slack.views.schedule import refusal_message, schedule_message

Message = tuple[str, list[Block]]
NOT_SET_UP = "socialbot isn't set up yet: an operator needs to load the organisation file first."


def help_for(ctx: SlackContext, user_id: str) -> Message:
    with ctx.runtime.session() as session:
        directory = ctx.runtime.organisation(session)
    return help_message(directory.roles(user_id), list(directory.overall_coordinators))


def schedule(ctx: SlackContext, user_id: str, query: ScheduleQuery) -> Message:
    runtime = ctx.runtime
    with runtime.session() as session:
        answer = schedule_for(
            session=session,
            directory=runtime.organisation(session),
            user_id=user_id,
            query=query,
            now=runtime.now(),
        )
    if not isinstance(answer, ScheduleAnswer):
        return refusal_message(answer), []
    return schedule_message(answer, ctx.tz(user_id), runtime.now())


def rules(ctx: SlackContext, user_id: str, department: str | None) -> Message:
    """Recurring posts' next dates, for a department's coordinators and overall ones."""
    runtime = ctx.runtime
    with runtime.session() as session:
        directory = runtime.organisation(session)
        roles = directory.roles(user_id)
        mine = directory.sorted_ids() if roles.overall else directory.sorted_ids(roles.coordinates)
        if mine and department is not None:
            wanted = directory.department_named(department)
            if wanted is None:
                return no_such_department(department, [directory.departments[i] for i in mine]), []
            mine = [wanted] if wanted in mine else []
        if not mine:
            return (
                "Recurring rules are for a department's coordinators and the overall "
                "coordinators. Nothing to show you here.",
                [],
            )
        views = rules_for(session=session, department_ids=mine, now=runtime.now())
    return rules_message(views, ctx.tz(user_id), runtime.now())


def history(ctx: SlackContext, user_id: str, slot_id: int) -> Message:
    """Anyone in the programme can see what happened to a slot, and when."""
    with ctx.runtime.session() as session:
        directory = ctx.runtime.organisation(session)
        story = slot_history(session, slot_id)
    roles = directory.roles(user_id)
    if not roles.is_member:
        return "Slot histories are for people in the programme.", []
    if story is None:
        return f"There's no slot #{slot_id}.", []
    facts = SlotFacts(story.contributor_id, story.department_id, story.status)
    can_restore = decide_restore(roles=roles, slot=facts).ok
    return history_message(story, ctx.tz(user_id), now=ctx.runtime.now(), can_restore=can_restore)
