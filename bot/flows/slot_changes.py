"""A coordinator changes the schedule from App Home: Add a post, and Edit / Move / Reassign on
a slot. Each form opens only for someone the domain's rule allows; each submission is checked
again (`bot.schedule.changes`), so a refusal or a problem changes nothing and is said on the
form, field by field."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.decisions import Decision, refuse
from bot.flows import reminders
from bot.schedule import changes
from bot.schedule.changes import CONTRIBUTOR, DATE, SlotForm
from bot.slack.context import SlackContext
from bot.slack.views.refusals import refusal
from bot.slack.views.slot_forms import (
    add_slot_modal,
    cancel_slot_modal,
    edit_slot_modal,
    form_errors,
    move_slot_modal,
    reassign_modal,
)

Errors = dict[str, str]


def add_form(ctx: SlackContext, user_id: str, offset: int) -> dict[str, Any] | str:
    """The Add a post modal, or why this person may not add posts."""
    runtime = ctx.runtime
    with runtime.session() as session:
        directory = runtime.organisation(session)
        ids = changes.departments_changeable(directory.roles(user_id), directory)
        accounts = changes.account_choices(session)
    if not ids:
        return refusal(refuse(changes.ChangeRefusal.NOT_COORDINATOR))
    return add_slot_modal(
        [(i, directory.departments[i]) for i in ids], accounts, directory.timezone, offset
    )


def change_form(
    ctx: SlackContext, user_id: str, verb: str, slot_id: int | None, offset: int
) -> dict[str, Any] | str:
    """The Edit, Move, Reassign or Cancel modal for a slot, or why this person may not change
    it."""
    runtime = ctx.runtime
    with runtime.session() as session:
        directory = runtime.organisation(session)
        slot = changes.slot_for_form(session, directory, user_id, slot_id)
        accounts = changes.account_choices(session)
    if isinstance(slot, Decision):
        return refusal(slot)
    if verb == "edit":
        return edit_slot_modal(slot, accounts, offset)
    if verb == "move":
        return move_slot_modal(slot, directory.timezone, offset)
    if verb == "cancel":
        return cancel_slot_modal(slot, ctx.tz(user_id), runtime.now(), offset)
    return reassign_modal(slot, offset)


def _answer(
    result: changes.Changed | changes.Problems | Decision[Any], *, refused_on: str = DATE
) -> Errors | None:
    """None when the change was made; else the words for the form, a refusal shown on
    `refused_on` (the form's first field)."""
    if isinstance(result, changes.Problems):
        return form_errors(result.fields)
    if isinstance(result, Decision):
        return {refused_on: refusal(result)}
    return None


def _change(
    ctx: SlackContext,
    change: Callable[..., changes.Changed | changes.Problems | Decision[Any]],
    *,
    refused_on: str = DATE,
    **args: Any,
) -> Errors | None:
    """One schedule change from a form (`change` from bot.schedule.changes, given `args`),
    checked by the domain; None when made, else the words for the form."""
    runtime = ctx.runtime
    with runtime.session() as session:
        result = change(
            session=session, directory=runtime.organisation(session), now=runtime.now(), **args
        )
    return _answer(result, refused_on=refused_on)


def add(ctx: SlackContext, user_id: str, form: SlotForm) -> Errors | None:
    """Add the post, or say on the form what stops it (None: added)."""
    return _change(ctx, changes.add_slot, by=user_id, form=form)


def edit(ctx: SlackContext, user_id: str, slot_id: int | None, form: SlotForm) -> Errors | None:
    return _change(
        ctx, changes.edit_slot, refused_on=changes.PLATFORM, by=user_id, slot_id=slot_id, form=form
    )


def move(ctx: SlackContext, user_id: str, slot_id: int | None, form: SlotForm) -> Errors | None:
    return _change(ctx, changes.move_slot, by=user_id, slot_id=slot_id, form=form)


def check_reassign(ctx: SlackContext, user_id: str, slot_id: int | None, to: str) -> Errors | None:
    """Whether the Reassign form may go ahead, said on the form (the reassignment itself sends
    a reminder, so it happens after the form is closed)."""
    runtime = ctx.runtime
    with runtime.session() as session:
        directory = runtime.organisation(session)
        slot = changes.slot_for_form(session, directory, user_id, slot_id)
        if isinstance(slot, Decision):
            return {CONTRIBUTOR: refusal(slot)}
        problem = changes.check_contributor(session, slot, to)
    return form_errors({CONTRIBUTOR: problem}) if problem else None


def reassign(ctx: SlackContext, user_id: str, slot_id: int | None, to: str) -> str | None:
    """Reassign as from a late-post message: the new contributor is reminded at once."""
    return reminders.reassign(ctx, by=user_id, slot_id=slot_id, to=to, channel=None, ts=None)


def cancel(ctx: SlackContext, user_id: str, slot_id: int | None) -> str | None:
    """Cancel as from a late-post message; the coordinator gets a message with Restore."""
    return reminders.cancel(ctx, by=user_id, slot_id=slot_id, channel=None, ts=None)


def report_too_late(ctx: SlackContext, user_id: str, slot_id: int | None) -> None:
    """After the form closed: a post moved (`slot_id`) or just added by `user_id` (None) too
    close to its due time for a reminder, told to its coordinators now."""
    if slot_id is None:
        with ctx.runtime.session() as session:
            ids = changes.just_added(session, by=user_id, now=ctx.runtime.now())
    else:
        ids = [slot_id]
    if ids:
        reminders.report_too_late(ctx, ids)
