"""`/access`, its buttons and forms: ack → parse into a typed payload → bot.flows.access → respond.

Replies are ephemeral. A click without a response_url (App Home) or inside a modal is
answered with a small modal instead, since there is no message to answer under."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot.access.rules import Reason
from bot.flows import access as flows
from bot.runtime import Runtime
from bot.slack.text import inert
from bot.slack.views.access import CONFIRM, notice_modal
from handlers.context import runtime_of
from handlers.payloads import BlockAction, SlashCommand, ViewSubmission

_ID = re.compile(r"^#?(\d{1,9})$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def request_id(text: str) -> int | None:
    """`#12` or `12`; anything else (words, huge numbers, NULs) is no id at all."""
    found = _ID.match(text.strip())
    return int(found.group(1)) if found else None


@dataclass(frozen=True)
class AccessCommand:
    action: str  # request | form | list | revoke | set | audit | break-glass | help | unknown
    account: str = ""
    duration: str = ""
    reason: str = ""
    request_id: int | None = None
    since: date | None = None
    extra: bool = False  # `set` was given more than an account (a secret in the command)
    word: str = ""


def parse_access(text: str) -> AccessCommand:
    words = text.replace("\x00", "").split()
    head = words[0].lower() if words else "help"
    rest = words[1:]
    if head == "help":
        return AccessCommand("help")
    if head == "request":
        if not rest:
            return AccessCommand("form")
        return AccessCommand(
            "request",
            account=rest[0],
            duration=rest[1] if len(rest) > 1 else "",
            reason=" ".join(rest[2:]),
        )
    if head == "list":
        return AccessCommand("list")
    if head in ("revoke", "break-glass", "breakglass"):
        found = request_id(rest[0]) if rest else None
        action = "revoke" if head == "revoke" else "break-glass"
        return AccessCommand(action, request_id=found, reason=" ".join(rest[1:]))
    if head == "set":
        return AccessCommand("set", account=rest[0] if rest else "", extra=len(rest) > 1)
    if head == "audit":
        since = None
        if rest and _DAY.match(rest[-1]):
            try:
                since = date.fromisoformat(rest[-1])
            except ValueError:
                return AccessCommand("unknown", word="a date that doesn't exist")
            rest = rest[:-1]
        return AccessCommand("audit", account=rest[0] if rest else "", since=since)
    return AccessCommand("unknown", word=head[:40])


def handle_access(
    command: dict[str, Any], respond: Respond, client: WebClient, context: BoltContext
) -> None:
    payload = SlashCommand.model_validate(command)
    runtime = runtime_of(context)
    parsed = parse_access(payload.text)
    user = payload.user_id
    reply: flows.Reply | None
    if parsed.action == "help":
        reply = flows.help_reply()
    elif parsed.action == "form":
        reply = flows.open_request_form(
            runtime, client, user_id=user, trigger_id=payload.trigger_id
        )
    elif parsed.action == "request":
        reply = flows.request(
            runtime,
            client,
            user_id=user,
            account=parsed.account,
            duration=parsed.duration,
            reason=parsed.reason,
        )
    elif parsed.action == "list":
        reply = flows.list_requests(runtime, client, user_id=user)
    elif parsed.action in ("revoke", "break-glass") and parsed.request_id is None:
        reply = flows.refusal_reply(runtime, Reason.NO_SUCH_REQUEST)
    elif parsed.action == "revoke":
        assert parsed.request_id is not None
        reply = flows.revoke(runtime, client, user_id=user, request_id=parsed.request_id)
    elif parsed.action == "break-glass":
        assert parsed.request_id is not None
        reply = flows.break_glass_from_command(
            runtime,
            client,
            user_id=user,
            request_id=parsed.request_id,
            reason=parsed.reason,
            trigger_id=payload.trigger_id,
        )
    elif parsed.action == "set" and parsed.extra:
        reply = flows.refusal_reply(runtime, Reason.SECRET_IN_COMMAND)
    elif parsed.action == "set":
        reply = flows.open_set_form(
            runtime, client, user_id=user, account=parsed.account, trigger_id=payload.trigger_id
        )
    elif parsed.action == "audit":
        reply = flows.audit_in_slack(
            runtime, client, user_id=user, account=parsed.account or None, since=parsed.since
        )
    else:
        reply = flows.Reply(f"I don't know `{inert(parsed.word)}`. Try `/access help`.")
    if reply is not None:
        respond(text=reply.text, blocks=reply.blocks, response_type="ephemeral")


# --- buttons ---------------------------------------------------------------------------------


def _answer(
    client: WebClient, respond: Respond | None, click: BlockAction, reply: flows.Reply | None
) -> None:
    if reply is None:
        return
    if respond is not None and click.channel_id:
        respond(text=reply.text, response_type="ephemeral", replace_original=False)
    elif click.trigger_id:
        client.views_open(trigger_id=click.trigger_id, view=notice_modal("Access", reply.text))


def _clicked(body: dict[str, Any]) -> tuple[BlockAction, int | None]:
    click = BlockAction.from_body(body)
    return click, request_id(click.value)


def _on_click(
    body: dict[str, Any],
    client: WebClient,
    context: BoltContext,
    respond: Respond | None,
    flow: Callable[..., flows.Reply | None],
    *,
    opens: bool = True,
) -> None:
    """A button naming a request: `flow` for it (with the click's trigger_id when it opens a
    modal), or the refusal when the button's value is no request id."""
    click, found = _clicked(body)
    reply: flows.Reply | None
    if found is None:
        reply = flows.refusal_reply(runtime_of(context), Reason.NO_SUCH_REQUEST)
    else:
        trigger = {"trigger_id": click.trigger_id} if opens else {}
        reply = flow(
            runtime_of(context), client, user_id=click.user_id, request_id=found, **trigger
        )
    _answer(client, respond, click, reply)


def approve(
    body: dict[str, Any], client: WebClient, context: BoltContext, respond: Respond | None = None
) -> None:
    _on_click(body, client, context, respond, flows.approve, opens=False)


def revoke(
    body: dict[str, Any], client: WebClient, context: BoltContext, respond: Respond | None = None
) -> None:
    _on_click(body, client, context, respond, flows.revoke, opens=False)


def open_deny(
    body: dict[str, Any], client: WebClient, context: BoltContext, respond: Respond | None = None
) -> None:
    _on_click(body, client, context, respond, flows.open_deny_form)


def reveal(
    body: dict[str, Any], client: WebClient, context: BoltContext, respond: Respond | None = None
) -> None:
    _on_click(body, client, context, respond, flows.reveal)


def refresh(body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    click, found = _clicked(body)
    view_id = str((body.get("view") or {}).get("id") or "")
    if found is None or not view_id:
        return
    flows.refresh(
        runtime_of(context), client, user_id=click.user_id, request_id=found, view_id=view_id
    )


def open_break_glass(
    body: dict[str, Any], client: WebClient, context: BoltContext, respond: Respond | None = None
) -> None:
    _on_click(body, client, context, respond, flows.open_break_glass_form)


# --- forms -----------------------------------------------------------------------------------


def _dm(client: WebClient, user_id: str, reply: flows.Reply | None) -> None:
    if reply is not None and reply.text:
        client.chat_postMessage(channel=user_id, text=reply.text, blocks=reply.blocks)


def _submitted(
    body: dict[str, Any],
    client: WebClient,
    context: BoltContext,
    run: Callable[[Runtime, ViewSubmission, int], flows.Reply | None],
) -> None:
    """A form that carries an id in its private_metadata: `run` it, the reply as a DM."""
    form = ViewSubmission.from_body(body)
    found = request_id(form.private_metadata)
    if found is None:
        return
    _dm(client, form.user_id, run(runtime_of(context), form, found))


def ack_request(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    form = ViewSubmission.from_body(body)
    errors = flows.request_form_errors(
        runtime_of(context), duration=form.text("duration"), reason=form.text("reason")
    )
    if errors:
        ack(response_action="errors", errors=errors)
        return
    ack()


def request_submitted(body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    form = ViewSubmission.from_body(body)
    reply = flows.request_from_form(
        runtime_of(context),
        client,
        user_id=form.user_id,
        account_id=form.selected("account"),
        duration=form.text("duration"),
        reason=form.text("reason"),
    )
    _dm(client, form.user_id, reply)


def ack_reason(ack: Ack, body: dict[str, Any]) -> None:
    form = ViewSubmission.from_body(body)
    if not form.text("reason").strip():
        ack(response_action="errors", errors={"reason": "Please give a reason."})
        return
    ack()


def deny_submitted(body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    _submitted(
        body,
        client,
        context,
        lambda runtime, form, found: flows.deny(
            runtime, client, user_id=form.user_id, request_id=found, reason=form.text("reason")
        ),
    )


def ack_break_glass(ack: Ack, body: dict[str, Any]) -> None:
    form = ViewSubmission.from_body(body)
    errors: dict[str, str] = {}
    if not form.text("reason").strip():
        errors["reason"] = "Please say why this can't wait."
    if not form.checked(CONFIRM, CONFIRM):
        errors[CONFIRM] = "Tick the box to confirm break-glass."
    if errors:
        ack(response_action="errors", errors=errors)
        return
    ack()


def break_glass_submitted(body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    _submitted(
        body,
        client,
        context,
        lambda runtime, form, found: flows.break_glass(
            runtime,
            client,
            user_id=form.user_id,
            request_id=found,
            reason=form.text("reason"),
            confirmed=form.checked(CONFIRM, CONFIRM),
        ),
    )


def ack_set_secret(ack: Ack, body: dict[str, Any]) -> None:
    form = ViewSubmission.from_body(body)
    errors = flows.set_form_errors(password=form.text("password"), totp_seed=form.text("totp"))
    if errors:
        ack(response_action="errors", errors=errors)
        return
    ack()


def set_secret_submitted(body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    _submitted(
        body,
        client,
        context,
        lambda runtime, form, found: flows.store_secret(
            runtime,
            client,
            user_id=form.user_id,
            account_id=found,
            password=form.text("password"),
            totp_seed=form.text("totp"),
            notes=form.text("notes"),
        ),
    )
