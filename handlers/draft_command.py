"""`/social draft`: submit a draft for one of my open slots, or a new post, from anywhere.
Ack (with the form's problems on its fields), parse, call `bot.flows.submission`."""

from __future__ import annotations

from datetime import date
from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot.drafts.service import check_text
from bot.flows import submission as flow
from bot.organisation.platforms import parse_platform
from bot.slack.context import SlackContext
from bot.slack.ids import parse_id
from bot.slack.views.draft_command import AD_HOC
from bot.slack.views.modals import IMAGE
from handlers.context import slack_of
from handlers.payloads import BlockAction, ViewSubmission


def _problems(form: ViewSubmission) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not check_text(form.text("text")).ok and not form.files(IMAGE):
        errors["text"] = "The draft is empty."
    if form.selected("slot") == AD_HOC:
        if not parse_platform(form.selected("platform")):
            errors["platform"] = "Pick the platform for a new post."
        if not form.text("topic").strip():
            errors["topic"] = "Give the new post a topic."
        if not form.selected("due"):
            errors["due"] = "When is it due?"
    return errors


def _content_problems(ctx: SlackContext, form: ViewSubmission) -> dict[str, str]:
    """Hard content rules, shown on the form before anything is stored."""
    choice = form.selected("slot")
    platform = (
        parse_platform(form.selected("platform"))
        if choice == AD_HOC
        else flow.platform_of(ctx, parse_id(choice))
    )
    problems = flow.hard_problems(ctx, platform, form.draft())
    if problems is None:
        return {}
    return {"slot" if platform is None else "text": problems[:150]}


def ack_draft_command(
    ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    form = ViewSubmission.from_body(body)
    errors = _problems(form) or _content_problems(slack_of(context, client), form)
    if errors:
        ack(response_action="errors", errors=errors)
        return
    ack()


def draft_command_submitted(body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    form = ViewSubmission.from_body(body)
    if _problems(form):
        return
    choice = form.selected("slot")
    new_post = None
    if choice == AD_HOC:
        platform = parse_platform(form.selected("platform"))
        assert platform is not None
        new_post = flow.NewPost(
            platform=platform,
            topic=form.text("topic").strip(),
            due=date.fromisoformat(form.selected("due")),
        )
    flow.submit_from_command(
        slack_of(context, client),
        user_id=form.user_id,
        slot_id=None if new_post else parse_id(choice),
        new_post=new_post,
        draft=form.draft(),
    )


def home_draft(body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    """The App Home's "Submit a draft" button: the same modal as `/social draft`."""
    click = BlockAction.from_body(body)
    flow.open_draft_command(
        slack_of(context, client), user_id=click.user_id, trigger_id=click.trigger_id
    )
