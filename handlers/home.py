"""App Home: published whenever someone opens the tab or moves to another month; and the
coordinator's Add a post and Edit / Move / Reassign, each a modal.

A slot modal's change is made while its submission is answered (one quick transaction), so a
problem or a refusal shows on the form, field by field, and a change made is never checked
twice; App Home is then published again, with the month the person was looking at."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot.flows import slot_changes as flow
from bot.flows.home import publish_home
from bot.home import clamp_offset
from bot.schedule.changes import CONTRIBUTOR
from bot.slack.ids import parse_id
from bot.slack.views.slot_forms import read_form_metadata
from handlers.context import say_privately, slack_of
from handlers.payloads import AppHomeOpened, BlockAction, ViewSubmission

VERBS = ("edit", "move", "reassign", "cancel")


def handle_app_home_opened(event: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    payload = AppHomeOpened.model_validate(event)
    if payload.tab == "home":
        publish_home(slack_of(context, client), payload.user)


def _offset(text: str) -> int:
    """A month offset sent back to us; anything else is this month."""
    digits = text.strip().removeprefix("-")
    if not digits.isascii() or not digits.isdigit() or len(digits) > 3:
        return 0
    return clamp_offset(int(text.strip()))


def show_month(body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    """◀ / ▶: App Home again, another month. The month is in the button, nowhere else."""
    click = BlockAction.from_body(body)
    publish_home(slack_of(context, client), click.user_id, _offset(click.value))


def open_add(
    body: dict[str, Any], client: WebClient, respond: Respond | None, context: BoltContext
) -> None:
    click = BlockAction.from_body(body)
    view = flow.add_form(slack_of(context, client), click.user_id, _offset(click.value))
    if isinstance(view, str):
        say_privately(respond, view, client=client, user_id=click.user_id)
        return
    client.views_open(trigger_id=click.trigger_id, view=view)


def open_slot_menu(
    body: dict[str, Any], client: WebClient, respond: Respond | None, context: BoltContext
) -> None:
    """Edit… / Move… / Reassign… on a slot (the overflow's option: `verb:slot id:month`)."""
    click = BlockAction.from_body(body)
    verb, _, rest = (click.option or click.value).partition(":")
    slot, _, offset = rest.partition(":")
    if verb not in VERBS:
        say_privately(
            respond,
            "That isn't something socialbot can do to a post.",
            client=client,
            user_id=click.user_id,
        )
        return
    ctx = slack_of(context, client)
    view = flow.change_form(ctx, click.user_id, verb, parse_id(slot), _offset(offset))
    if isinstance(view, str):
        say_privately(respond, view, client=client, user_id=click.user_id)
        return
    client.views_open(trigger_id=click.trigger_id, view=view)


# --- submissions ------------------------------------------------------------------------------


def _errors_or_close(ack: Ack, errors: dict[str, str] | None) -> None:
    if errors:
        ack(response_action="errors", errors=errors)
    else:
        ack()


def ack_add(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    form = ViewSubmission.from_body(body)
    _errors_or_close(ack, flow.add(slack_of(context, client), form.user_id, form.slot_form()))


def ack_edit(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    form = ViewSubmission.from_body(body)
    slot_id, _ = read_form_metadata(form.private_metadata)
    errors = flow.edit(slack_of(context, client), form.user_id, slot_id, form.slot_form())
    _errors_or_close(ack, errors)


def ack_move(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    form = ViewSubmission.from_body(body)
    slot_id, _ = read_form_metadata(form.private_metadata)
    errors = flow.move(slack_of(context, client), form.user_id, slot_id, form.slot_form())
    _errors_or_close(ack, errors)


def ack_reassign(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    form = ViewSubmission.from_body(body)
    slot_id, _ = read_form_metadata(form.private_metadata)
    to = form.picked_user(CONTRIBUTOR)
    _errors_or_close(ack, flow.check_reassign(slack_of(context, client), form.user_id, slot_id, to))


def ack_cancel(ack: Ack) -> None:
    ack()  # the form only asks; who may cancel is checked as it is done, after


def cancel_submitted(body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    form = ViewSubmission.from_body(body)
    slot_id, offset = read_form_metadata(form.private_metadata)
    ctx = slack_of(context, client)
    refused = flow.cancel(ctx, form.user_id, slot_id)
    if refused is not None:
        client.chat_postMessage(channel=form.user_id, text=refused)
    publish_home(ctx, form.user_id, clamp_offset(offset))


def slot_edited(body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    """After Edit: App Home again, as of the change (or as it was, if refused)."""
    form = ViewSubmission.from_body(body)
    _, offset = read_form_metadata(form.private_metadata)
    publish_home(slack_of(context, client), form.user_id, clamp_offset(offset))


def slot_changed(body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    """After Add / Move: a post now too close to its due time is reported, then App Home
    again as of the change (or as it was, if refused)."""
    form = ViewSubmission.from_body(body)
    slot_id, offset = read_form_metadata(form.private_metadata)
    ctx = slack_of(context, client)
    flow.report_too_late(ctx, form.user_id, slot_id)
    publish_home(ctx, form.user_id, clamp_offset(offset))


def reassign_submitted(body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    form = ViewSubmission.from_body(body)
    slot_id, offset = read_form_metadata(form.private_metadata)
    ctx = slack_of(context, client)
    if flow.check_reassign(ctx, form.user_id, slot_id, form.picked_user(CONTRIBUTOR)):
        return  # ack_reassign showed the problem on the form (Bolt runs this regardless)
    refused = flow.reassign(ctx, form.user_id, slot_id, form.picked_user(CONTRIBUTOR))
    if refused is not None:
        client.chat_postMessage(channel=form.user_id, text=refused)
    publish_home(ctx, form.user_id, clamp_offset(offset))
