"""Review listeners: the decision buttons on a version's message and their modals.

Ack, parse, call `bot.flows.review`, and say what it answers to the person who clicked."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot.flows import review as flow
from bot.review.service import Outcome
from bot.slack.ids import Callback
from bot.slack.views.review import reason_modal
from handlers.context import say_privately, slack_of
from handlers.payloads import BlockAction, ViewSubmission


def approve(
    body: dict[str, Any], client: WebClient, respond: Respond, context: BoltContext
) -> None:
    click = BlockAction.from_body(body)
    refused = flow.decide(
        slack_of(context, client), (click.draft_id or 0), Outcome.APPROVED, click.user_id
    )
    say_privately(respond, refused)


def leader_approve(
    body: dict[str, Any], client: WebClient, respond: Respond, context: BoltContext
) -> None:
    click = BlockAction.from_body(body)
    refused = flow.decide(
        slack_of(context, client),
        (click.draft_id or 0),
        Outcome.APPROVED,
        click.user_id,
        leader_step=True,
    )
    say_privately(respond, refused)


def _open_reason(
    body: dict[str, Any],
    client: WebClient,
    respond: Respond,
    context: BoltContext,
    callback: Callback,
    title: str,
    label: str,
    *,
    leader_step: bool = False,
) -> None:
    click = BlockAction.from_body(body)
    refused = flow.check(
        slack_of(context, client), (click.draft_id or 0), click.user_id, leader_step=leader_step
    )
    if refused is not None:
        say_privately(respond, refused)
        return
    client.views_open(
        trigger_id=click.trigger_id,
        view=reason_modal(callback, (click.draft_id or 0), title, label),
    )


def open_request_changes(
    body: dict[str, Any], client: WebClient, respond: Respond, context: BoltContext
) -> None:
    _open_reason(
        body,
        client,
        respond,
        context,
        Callback.REQUEST_CHANGES,
        "Request changes",
        "What should change?",
    )


def open_reject(
    body: dict[str, Any], client: WebClient, respond: Respond, context: BoltContext
) -> None:
    _open_reason(
        body, client, respond, context, Callback.REJECT, "Reject draft", "Why is it rejected?"
    )


def open_leader_reject(
    body: dict[str, Any], client: WebClient, respond: Respond, context: BoltContext
) -> None:
    _open_reason(
        body,
        client,
        respond,
        context,
        Callback.LEADER_REJECT,
        "Reject for the leader",
        "Why is it rejected?",
        leader_step=True,
    )


def ack_reason(ack: Ack, body: dict[str, Any]) -> None:
    if not ViewSubmission.from_body(body).text("reason").strip():
        ack(response_action="errors", errors={"reason": "Please say something: it's sent on."})
        return
    ack()


def _submitted(
    body: dict[str, Any],
    client: WebClient,
    context: BoltContext,
    outcome: Outcome,
    *,
    leader_step: bool = False,
) -> None:
    submission = ViewSubmission.from_body(body)
    reason = submission.text("reason").strip()
    if not reason:
        return  # ack_reason already showed the problem on the form
    refused = flow.decide(
        slack_of(context, client),
        submission.metadata_id or 0,
        outcome,
        submission.user_id,
        reason,
        leader_step=leader_step,
    )
    if refused is not None:
        client.chat_postMessage(channel=submission.user_id, text=refused)


def changes_submitted(body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    _submitted(body, client, context, Outcome.CHANGES_REQUESTED)


def reject_submitted(body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    _submitted(body, client, context, Outcome.REJECTED)


def leader_reject_submitted(body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    _submitted(body, client, context, Outcome.REJECTED, leader_step=True)


def open_mark_published(
    body: dict[str, Any], client: WebClient, respond: Respond, context: BoltContext
) -> None:
    click = BlockAction.from_body(body)
    refused = flow.check_publish(slack_of(context, client), (click.draft_id or 0), click.user_id)
    if refused is not None:
        say_privately(respond, refused)
        return
    view = reason_modal(
        Callback.PUBLISHED, (click.draft_id or 0), "Mark as published", "The post's URL"
    )
    client.views_open(trigger_id=click.trigger_id, view=view)


def _is_link(url: str) -> bool:
    return url.startswith(("https://", "http://"))


def ack_published(ack: Ack, body: dict[str, Any]) -> None:
    if not _is_link(ViewSubmission.from_body(body).text("reason").strip()):
        ack(response_action="errors", errors={"reason": "Paste the post's link (https://…)."})
        return
    ack()


def published_submitted(body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    submission = ViewSubmission.from_body(body)
    url = submission.text("reason").strip()
    if not _is_link(url):
        return  # ack_published already showed the problem on the form
    refused = flow.mark_published(
        slack_of(context, client), submission.metadata_id or 0, submission.user_id, url
    )
    if refused is not None:
        client.chat_postMessage(channel=submission.user_id, text=refused)
