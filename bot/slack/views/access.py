"""Block Kit for credential access. Everything people typed goes through `inert` (mrkdwn and
top-level text) or `plain` (plain_text); secrets appear only in the reveal modal's blocks,
never in its private_metadata, a button value or any message."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.access.audit import AuditEntry
from bot.access.durations import format_duration
from bot.access.rules import Reason, Status
from bot.access.service import AccountInfo, Listing, RequestView, Result
from bot.access.totp import Code
from bot.access.vault import Secret
from bot.slack.access_ids import AccessAction, AccessCallback
from bot.slack.text import inert, mention
from bot.slack.views.common import button, confirm, when

Block = dict[str, Any]
Message = tuple[str, list[Block]]
MAX_SECTION = 3000

NOT_CONFIGURED = (
    "Credential access isn't configured on this installation yet, so nothing was changed. "
    "An operator needs to run `python -m bot vault new-key`, put the key in `VAULT_KEYS` "
    "and restart socialbot (see the README's *Credential access* section)."
)
NO_ORGANISATION = (
    "socialbot isn't set up yet: an operator needs to load the organisation file first."
)
SECRET_IN_COMMAND = (
    "I don't take secrets in command text, so nothing was stored (and I won't repeat it). "
    "Use `/access set <account>` on its own: it opens a private form."
)

USAGE = (
    "`/access request <account> <duration> <reason…>`: e.g. "
    "`/access request linkedin:acme 2h posting the launch video` (or just `/access request` "
    "for a form)\n"
    "`/access list`: your requests and grants; approvers also see what waits for them\n"
    "`/access revoke #id`: end a grant early (approvers, or the grantee)\n"
    "`/access break-glass #id <reason>`: approvers, on their own request after 15 minutes "
    "unanswered\n"
    "`/access set <account>`: approvers store or rotate an account's secret, in a private form\n"
    "`/access audit [account] [YYYY-MM-DD]`: approvers, the latest audit events\n"
    "`/access help`: this message"
)


def section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text[:MAX_SECTION]}}


def context(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text[:MAX_SECTION]}]}


def actions(block_id: str, *elements: Block) -> Block:
    return {"type": "actions", "block_id": block_id, "elements": list(elements)}


def help_message() -> Message:
    return "Credential access: /access", [
        section(
            "*Credential access*: ask for time-boxed access to one of the organisation's "
            "accounts; an approver (the overall coordinators and the account's department "
            "coordinators) decides, and only you see the password, in a private window, "
            "while your grant lasts. Everything is audited."
        ),
        section(USAGE),
    ]


HELP_SECTION = (
    "*Access*: `/access request <account> <duration> <reason>` asks for time-boxed access to "
    "an account; `/access list` shows your requests and grants. `/access help` for more."
)


# --- refusals --------------------------------------------------------------------------------

REFUSALS: dict[Reason, str] = {
    Reason.NOT_CONFIGURED: NOT_CONFIGURED,
    Reason.NOT_MEMBER: "Credential access is for people in the social media programme. "
    "Ask an overall coordinator to add you.",
    Reason.UNKNOWN_ACCOUNT: "I don't know that account. Accounts are written "
    "`platform:handle` as in the organisation file; `/access list` shows yours.",
    Reason.AMBIGUOUS_ACCOUNT: "That matches more than one account; say which.",
    Reason.ACCOUNT_RETIRED: "That account has been retired from the organisation file, so "
    "access to it can't be given.",
    Reason.DURATION_MALFORMED: "I couldn't read that duration. Use minutes, hours or days, "
    "like `30m`, `2h` or `1d`.",
    Reason.DURATION_NEGATIVE: "A duration can't be negative. Use e.g. `30m`, `2h` or `1d`.",
    Reason.DURATION_ZERO: "A duration must be more than zero. Use e.g. `30m`, `2h` or `1d`.",
    Reason.DURATION_ABOVE_CAP: "That's longer than this account allows.",
    Reason.REASON_MISSING: "Please give a reason (and a duration), e.g. "
    "`/access request linkedin:acme 2h posting the launch video`.",
    Reason.ALREADY_OPEN: "You already have a pending or active request for this account; "
    "`/access list` shows it. Revoke it or wait for it to end before asking again.",
    Reason.NO_SUCH_REQUEST: "There's no request with that number; `/access list` shows yours.",
    Reason.NOT_APPROVER: "Only the account's approvers (the overall coordinators and the "
    "coordinators of its department) can do that.",
    Reason.OWN_REQUEST: "You can't decide on your own request: another approver needs to "
    "(or use break-glass after 15 minutes).",
    Reason.NOT_PENDING: "This request is no longer waiting for a decision.",
    Reason.ALREADY_APPROVED_BY_YOU: "You've already approved this request; it needs a second "
    "approver.",
    Reason.NOT_REQUESTER: "Break-glass is only for your own request.",
    Reason.TOO_EARLY: "Break-glass opens when no approver has answered for 15 minutes.",
    Reason.ALREADY_ANSWERED: "An approver has already answered this request, so break-glass "
    "isn't available.",
    Reason.NOT_GRANTEE: "Only the person this access was granted to can reveal it. "
    "This attempt has been recorded in the audit log.",
    Reason.NOT_ACTIVE: "That grant isn't active.",
    Reason.GRANT_ENDED: "That grant has ended, so the secret can't be shown any more. "
    "Ask again with `/access request` if you still need it.",
    Reason.GRANT_REVOKED: "That grant was revoked, so the secret can't be shown any more.",
    Reason.NO_SECRET: "No secret has been stored for this account yet; an approver needs to "
    "run `/access set <account>`.",
    Reason.NOT_YOURS: "You can only revoke your own grants (approvers can revoke any in their "
    "accounts).",
    Reason.SECRET_IN_COMMAND: SECRET_IN_COMMAND,
    Reason.SEED_NOT_BASE32: "That TOTP seed isn't base32 (letters A–Z and digits 2–7, as the "
    "platform's 2FA setup shows it). Nothing was stored.",
    Reason.PASSWORD_MISSING: "A password is required. Nothing was stored.",
    Reason.NOT_CONFIRMED: "Tick the box to confirm break-glass. Nothing was changed.",
}

OUTCOME = {"granted": "approved", "denied": "denied", "break_glass": "used break-glass on"}


def refusal(result: Result, tz: ZoneInfo, *, now: datetime) -> str:
    reason = result.decision.reason or Reason.OK
    text = REFUSALS.get(reason, "That can't be done. Nothing was changed.")
    if reason is Reason.ALREADY_DECIDED and result.request is not None:
        done = OUTCOME.get(result.decided_outcome, "decided")
        at = result.request.decided_at
        moment = f" at {when(at, tz, now)}" if at else ""
        return (
            f"{mention(result.decided_by)} already {done} #{result.request.id}{moment}. "
            "Nothing was changed."
        )
    if reason is Reason.DURATION_ABOVE_CAP and result.account is not None:
        text += (
            f" {inert(result.account.key)} allows at most "
            f"{format_duration(result.account.max_access)}."
        )
    if result.candidates:
        names = ", ".join(f"`{inert(c)}`" for c in result.candidates)
        text += f" Did you mean {names}?" if reason is Reason.UNKNOWN_ACCOUNT else f" {names}"
    if reason is not Reason.NOT_GRANTEE and "Nothing was" not in text:
        text += " Nothing was changed."
    return text


# --- requests, for approvers and for the requester ------------------------------------------


def _about(request: RequestView, tz: ZoneInfo, *, now: datetime) -> str:
    return (
        f"{mention(request.requester)} asks for *{inert(request.account)}* for "
        f"*{format_duration(request.duration)}* (asked {when(request.requested_at, tz, now)})\n"
        f"Reason: {inert(request.reason)}"
    )


def status_line(request: RequestView, tz: ZoneInfo, *, now: datetime) -> str:
    at = request.decided_at
    if request.status is Status.PENDING:
        if request.approvals_needed > 1:
            given = ", ".join(mention(u) for u in request.approved_by) or "none yet"
            return f"Waiting for {request.approvals_needed} approvals (so far: {given})."
        return "Waiting for an approver."
    if request.status is Status.DENIED:
        return (
            f":no_entry: Denied by {mention(request.decided_by)}"
            f"{f' at {when(at, tz, now)}' if at else ''}: {inert(request.deny_reason)}"
        )
    if request.status is Status.EXPIRED:
        return ":hourglass: Expired: nobody answered within 24 hours."
    how = "Break-glass by" if request.break_glass else "Approved by"
    approved = f"{how} {mention(request.decided_by)}{f' at {when(at, tz, now)}' if at else ''}"
    if request.status is Status.ACTIVE and request.ends_at:
        return f":white_check_mark: {approved}; active until {when(request.ends_at, tz, now)}."
    if request.status is Status.REVOKED:
        who = mention(request.ended_by) if request.ended_by else "someone"
        ended = f" at {when(request.ended_at, tz, now)}" if request.ended_at else ""
        return f":white_check_mark: {approved}. Revoked by {who}{ended}."
    ended_at = f" {when(request.ends_at, tz, now)}" if request.ends_at else ""
    return f":white_check_mark: {approved}. Ended{ended_at}."


def approver_message(request: RequestView, tz: ZoneInfo, *, now: datetime) -> Message:
    text = (
        f"Access request #{request.id}: {inert(request.account)} for {mention(request.requester)}"
    )
    blocks = [
        section(f"*Access request #{request.id}*\n{_about(request, tz, now=now)}"),
        context(status_line(request, tz, now=now)),
    ]
    value = str(request.id)
    if request.status is Status.PENDING:
        blocks.append(
            actions(
                f"access_{request.id}",
                button("Approve", AccessAction.APPROVE, value, "primary"),
                button("Deny", AccessAction.DENY, value, "danger"),
            )
        )
    elif request.status is Status.ACTIVE:
        blocks.append(actions(f"access_{request.id}", _revoke(request, "Revoke")))
    return text, blocks


def _revoke(request: RequestView, label: str) -> Block:
    """Ends a grant before its time: asked first, as nothing brings it back."""
    return button(
        label,
        AccessAction.REVOKE,
        str(request.id),
        "danger",
        ask=confirm(
            f"End access #{request.id}?",
            f"Reveal stops working for {request.account} at once; a new request is needed "
            "to see it again. The audit records who ended it.",
            "End access",
        ),
    )


def requester_message(
    request: RequestView, tz: ZoneInfo, *, now: datetime, break_glass: bool = False
) -> Message:
    text = f"Your access request #{request.id} for {inert(request.account)}"
    blocks = [
        section(
            f"*Your access request #{request.id}*: *{inert(request.account)}* for "
            f"{format_duration(request.duration)}\nReason: {inert(request.reason)}"
        ),
        context(status_line(request, tz, now=now)),
    ]
    if break_glass and request.status is Status.PENDING:
        blocks.append(
            context(
                "No approver has answered for 15 minutes. As an approver of this account you "
                "may grant it to yourself; every approver is told and the audit marks it."
            )
        )
        blocks.append(
            actions(
                f"access_bg_{request.id}",
                button("Break glass", AccessAction.BREAK_GLASS, str(request.id), "danger"),
            )
        )
    return text, blocks


def grant_message(request: RequestView, tz: ZoneInfo, *, now: datetime) -> Message:
    """The grantee's DM: Reveal while active; the same message, without it, afterwards."""
    text = f"Access #{request.id} to {inert(request.account)}"
    blocks = [
        section(f"*Access #{request.id}* to *{inert(request.account)}*"),
        context(status_line(request, tz, now=now)),
    ]
    if request.status is Status.ACTIVE:
        blocks.append(
            context("Reveal shows the password and current 2FA code in a private window.")
        )
        blocks.append(
            actions(
                f"access_reveal_{request.id}",
                button("Reveal", AccessAction.REVEAL, str(request.id), "primary"),
                _revoke(request, "I'm done: end it now"),
            )
        )
    return text, blocks


def decided_notice(request: RequestView, tz: ZoneInfo) -> str:
    if request.status is Status.DENIED:
        return (
            f"Your access request #{request.id} for {inert(request.account)} was denied by "
            f"{mention(request.decided_by)}: {inert(request.deny_reason)}"
        )
    return f"Your access request #{request.id} for {inert(request.account)} was approved."


def break_glass_alert(request: RequestView, reason: str, tz: ZoneInfo, *, now: datetime) -> str:
    until = when(request.ends_at, tz, now) if request.ends_at else "?"
    return (
        f":rotating_light: {mention(request.requester)} used *break-glass* on access request "
        f"#{request.id} for {inert(request.account)} ({format_duration(request.duration)}, "
        f"until {until}). Reason: {inert(reason)}"
    )


# --- modals ----------------------------------------------------------------------------------


def _input(
    block_id: str,
    label: str,
    *,
    multiline: bool = False,
    optional: bool = False,
    hint: str = "",
    max_length: int = 500,
) -> Block:
    element: Block = {
        "type": "plain_text_input",
        "action_id": "value",
        "multiline": multiline,
        "max_length": max_length,
    }
    block: Block = {
        "type": "input",
        "block_id": block_id,
        "label": {"type": "plain_text", "text": label},
        "element": element,
        "optional": optional,
    }
    if hint:
        block["hint"] = {"type": "plain_text", "text": hint}
    return block


def _modal(
    callback: AccessCallback,
    title: str,
    blocks: list[Block],
    *,
    submit: str | None,
    metadata: str = "",
) -> dict[str, Any]:
    view: dict[str, Any] = {
        "type": "modal",
        "callback_id": callback.value,
        "title": {"type": "plain_text", "text": title[:24]},
        "close": {"type": "plain_text", "text": "Close" if submit is None else "Cancel"},
        "blocks": blocks,
        "private_metadata": metadata,
    }
    if submit:
        view["submit"] = {"type": "plain_text", "text": submit}
    return view


def request_modal(accounts: Sequence[AccountInfo]) -> dict[str, Any]:
    options = [
        {
            "text": {
                "type": "plain_text",
                "text": f"{a.key} (max {format_duration(a.max_access)})"[:75],
            },
            "value": str(a.id),
        }
        for a in accounts[:100]
    ]
    return _modal(
        AccessCallback.REQUEST,
        "Request access",
        [
            {
                "type": "input",
                "block_id": "account",
                "label": {"type": "plain_text", "text": "Account"},
                "element": {"type": "static_select", "action_id": "value", "options": options},
            },
            _input("duration", "How long", hint="e.g. 30m, 2h or 1d", max_length=20),
            _input("reason", "Why", multiline=True),
        ],
        submit="Request",
    )


def deny_modal(request_id: int) -> dict[str, Any]:
    return _modal(
        AccessCallback.DENY,
        f"Deny #{request_id}",
        [_input("reason", "Why are you denying it?", multiline=True)],
        submit="Deny",
        metadata=str(request_id),
    )


CONFIRM = "confirm"


def break_glass_modal(request: RequestView, reason: str = "") -> dict[str, Any]:
    why = _input("reason", "Why can't this wait?", multiline=True)
    if reason:
        why["element"]["initial_value"] = reason[:500]
    return _modal(
        AccessCallback.BREAK_GLASS,
        f"Break glass #{request.id}",
        [
            section(
                f"You're about to grant yourself *{inert(request.account)}* for "
                f"{format_duration(request.duration)} without an approver. Every approver is "
                "told at once and the audit marks it as break-glass."
            ),
            why,
            {
                "type": "input",
                "block_id": CONFIRM,
                "label": {"type": "plain_text", "text": "Confirm"},
                "element": {
                    "type": "checkboxes",
                    "action_id": "value",
                    "options": [
                        {
                            "text": {
                                "type": "plain_text",
                                "text": "I understand this is an emergency grant, told to "
                                "every approver and audited.",
                            },
                            "value": CONFIRM,
                        }
                    ],
                },
            },
        ],
        submit="Break glass",
        metadata=str(request.id),
    )


def set_secret_modal(account: AccountInfo) -> dict[str, Any]:
    return _modal(
        AccessCallback.SET_SECRET,
        "Store a secret",
        [
            section(
                f"Store or rotate the secret of *{inert(account.key)}*. It is encrypted at rest "
                "and only shown to grantees, in a private window. Storing it records a rotation."
            ),
            _input("password", "Password", max_length=500),
            _input(
                "totp",
                "TOTP seed (optional)",
                optional=True,
                hint="As the platform's 2FA setup shows it; spaces and lower case are fine.",
                max_length=200,
            ),
            _input("notes", "Notes (optional)", multiline=True, optional=True, max_length=1000),
        ],
        submit="Store",
        metadata=str(account.id),
    )


def reveal_modal(
    request: RequestView, secret: Secret, code: Code | None, tz: ZoneInfo, *, now: datetime
) -> dict[str, Any]:
    """The only place a secret is ever rendered. private_metadata holds the grant id only."""
    until = when(request.ends_at, tz, now) if request.ends_at else "?"
    blocks: list[Block] = [
        context(
            f"*{inert(request.account)}* · access #{request.id} until {until}. "
            "Don't copy it into Slack."
        ),
        {"type": "section", "text": {"type": "mrkdwn", "text": "*Password*"}},
        {
            "type": "section",
            "text": {"type": "plain_text", "text": secret.password, "emoji": False},
        },
    ]
    if code is not None:
        blocks += [
            {"type": "section", "text": {"type": "mrkdwn", "text": "*2FA code*"}},
            {"type": "section", "text": {"type": "plain_text", "text": code.code, "emoji": False}},
            context(f"Valid for {code.seconds_left} more seconds."),
            actions(
                "refresh",
                button("Refresh code", AccessAction.REFRESH, str(request.id)),
            ),
        ]
    if secret.notes:
        blocks += [
            {"type": "section", "text": {"type": "mrkdwn", "text": "*Notes*"}},
            {
                "type": "section",
                "text": {"type": "plain_text", "text": secret.notes[:2900], "emoji": False},
            },
        ]
    return _modal(
        AccessCallback.REVEAL,
        f"Access #{request.id}",
        blocks,
        submit=None,
        metadata=str(request.id),
    )


def notice_modal(title: str, text: str) -> dict[str, Any]:
    return _modal(AccessCallback.NOTICE, title, [section(text)], submit=None)


# --- lists, the audit, App Home, the job's notices ------------------------------------------


def _line(request: RequestView, tz: ZoneInfo, *, now: datetime) -> str:
    head = f"`#{request.id}` *{inert(request.account)}*"
    if request.status is Status.ACTIVE and request.ends_at:
        left = format_duration(request.ends_at - now)
        return f"{head} · active, {left} left (until {when(request.ends_at, tz, now)})"
    if request.status is Status.PENDING:
        since = when(request.requested_at, tz, now)
        return f"{head} · pending since {since} · {format_duration(request.duration)}"
    return f"{head} · {request.status.value}"


def list_message(listing: Listing, tz: ZoneInfo, *, now: datetime) -> Message:
    blocks: list[Block] = []
    mine = [_line(r, tz, now=now) for r in listing.mine]
    blocks.append(section("*Your requests and grants*\n" + ("\n".join(mine) or "None yet.")))
    if listing.approver:
        waiting = [
            f"{_line(r, tz, now=now)} · {mention(r.requester)}: {inert(r.reason)[:200]}"
            for r in listing.waiting
        ]
        blocks.append(
            section("*Pending and active in your accounts*\n" + ("\n".join(waiting) or "Nothing."))
        )
    return "Your access requests", blocks


def _audit_line(e: AuditEntry, tz: ZoneInfo, *, now: datetime) -> str:
    who = mention(e.actor) if e.actor.startswith(("U", "W")) else inert(e.actor)
    parts = [f"`{e.seq}` {when(e.at, tz, now)}", f"*{e.kind}*", who]
    parts += [inert(e.account)] * bool(e.account) + [f"#{e.request_id}"] * bool(e.request_id)
    parts += [inert(e.detail[:120])] * bool(e.detail)
    return " · ".join(parts)


def audit_message(entries: Sequence[AuditEntry], tz: ZoneInfo, *, now: datetime) -> Message:
    lines = [_audit_line(e, tz, now=now) for e in entries]
    blocks: list[Block] = []
    chunk: list[str] = []
    for line in lines:
        if sum(len(x) + 1 for x in chunk) + len(line) > MAX_SECTION - 100:
            blocks.append(section("\n".join(chunk)))
            chunk = []
        chunk.append(line)
    if chunk:
        blocks.append(section("\n".join(chunk)))
    header = section(
        "*Access audit* (latest first). The CLI exports it all: `python -m bot access audit --csv`."
    )
    return "Access audit", [header, *(blocks or [section("No events.")])][:50]


def home_blocks(listing: Listing, tz: ZoneInfo, *, now: datetime) -> list[Block]:
    blocks: list[Block] = [{"type": "header", "text": {"type": "plain_text", "text": "Access"}}]
    active = [r for r in listing.mine if r.status is Status.ACTIVE]
    for grant in active[:5]:
        blocks.append(
            {
                "type": "section",
                "text": {"type": "mrkdwn", "text": _line(grant, tz, now=now)},
                "accessory": button("Reveal", AccessAction.REVEAL, str(grant.id), "primary"),
            }
        )
    pending = [r for r in listing.mine if r.status is Status.PENDING]
    if pending:
        blocks.append(section("\n".join(_line(r, tz, now=now) for r in pending[:5])))
    if listing.approver:
        waiting = [r for r in listing.waiting if r.status is Status.PENDING]
        lines = [f"{_line(r, tz, now=now)} · {mention(r.requester)}" for r in waiting[:10]]
        blocks.append(
            section("*Waiting for you*\n" + ("\n".join(lines) or "Nothing waits for you."))
        )
    if len(blocks) == 1:
        blocks.append(section("No access requests. `/access request` asks for one."))
    return blocks


def ending_soon_text(request: RequestView, tz: ZoneInfo, *, now: datetime) -> str:
    end = when(request.ends_at, tz, now) if request.ends_at else "soon"
    return f"Your access #{request.id} to {inert(request.account)} ends in 10 minutes ({end})."


def ended_text(request: RequestView) -> str:
    return (
        f"Your access #{request.id} to {inert(request.account)} has ended; Reveal no longer "
        "works. Please sign out of the account."
    )


def request_expired_text(request: RequestView) -> str:
    return (
        f"Your access request #{request.id} for {inert(request.account)} expired: nobody "
        "answered within 24 hours. Ask again with `/access request` if you still need it."
    )


def rotation_text(account: str, viewers: Sequence[str]) -> str:
    who = ", ".join(mention(v) for v in viewers) or "someone"
    return (
        f":key: Please *rotate the password and sign out other sessions* on {inert(account)}: "
        f"{who} saw it since the last rotation. Then record the new one with "
        f"`/access set {inert(account)}`. I'll remind you weekly until then."
    )
