"""Credential access use cases: what happens when someone types `/access …`, clicks Approve or
Reveal, or the `access-expiry` job runs. Plain functions over the runtime and a Web API client;
the rules and the changes are in bot/access/service.py, the Block Kit in
bot/slack/views/access.py. Secrets go to exactly one place: the grantee's reveal modal."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlmodel import Session

from bot.access import service
from bot.access.durations import parse_duration
from bot.access.rules import Reason, Status, decide_audit, refuse
from bot.access.service import RequestView, Result
from bot.access.totp import SeedNotBase32, current_code, normalise_seed
from bot.access.vault import Vault
from bot.organisation.directory import Directory
from bot.organisation.missing import NoOrganisation
from bot.runtime import Runtime
from bot.slack.people import timezone_of
from bot.slack.views import access as views

log = logging.getLogger("socialbot.access")
AUDIT_SHOWN = 25
# Slack errors that no retry will fix: the notice is given up (and logged), not retried forever.
PERMANENT = {"user_not_found", "channel_not_found", "account_inactive", "is_archived"}


@dataclass(frozen=True)
class Reply:
    """What the person who asked should see (ephemerally)."""

    text: str
    blocks: list[dict[str, Any]] | None = None


def vault_of(runtime: Runtime) -> Vault | None:
    keys = runtime.settings.vault_keys
    return Vault(keys.get_secret_value()) if keys is not None else None


class _Unavailable(Exception):
    def __init__(self, text: str) -> None:
        super().__init__("credential access unavailable")
        self.text = text


class _Refused(Exception):
    """Raised by `_decide`; `answering` turns it into its reply."""

    def __init__(self, reply: Reply) -> None:
        super().__init__("refused")
        self.reply = reply


@contextmanager
def _directory(runtime: Runtime, *, need_vault: bool = True) -> Iterator[tuple[Session, Directory]]:
    if need_vault and vault_of(runtime) is None:
        raise _Unavailable(views.NOT_CONFIGURED)
    with runtime.session() as session:
        try:
            directory = runtime.organisation(session)
        except NoOrganisation:
            raise _Unavailable(views.NO_ORGANISATION) from None
        yield session, directory


def answering(work: Callable[..., Reply | None]) -> Callable[..., Reply | None]:
    """Not configured, or no organisation yet: the same clear answer from every entry point;
    a refusal from `_decide` is the answer too."""

    def run(*args: Any, **kwargs: Any) -> Reply | None:
        try:
            return work(*args, **kwargs)
        except _Unavailable as exc:
            return Reply(exc.text)
        except _Refused as exc:
            return exc.reply

    run.__name__ = work.__name__
    run.__doc__ = work.__doc__
    return run


def _tz(runtime: Runtime, client: WebClient, user_id: str, directory: Directory) -> ZoneInfo:
    return timezone_of(runtime=runtime, client=client, user_id=user_id, fallback=directory.timezone)


def _refusal(
    runtime: Runtime, client: WebClient, user_id: str, directory: Directory, result: Result
) -> Reply:
    return Reply(views.refusal(result, _tz(runtime, client, user_id, directory), now=runtime.now()))


def _decide(
    runtime: Runtime,
    client: WebClient,
    user_id: str,
    call: Callable[[Session, Directory], Result],
) -> tuple[Directory, Result]:
    """One service call over the organisation, for a function wrapped in `answering`: refused,
    `user_id` is told why (in their time zone) and the function goes no further."""
    with _directory(runtime) as (session, directory):
        result = call(session, directory)
    if not result.ok:
        raise _Refused(_refusal(runtime, client, user_id, directory, result))
    return directory, result


def _post(
    client: WebClient, channel: str, message: tuple[str, list[dict[str, Any]]] | str
) -> tuple[str, str] | None:
    text, blocks = (message, None) if isinstance(message, str) else message
    try:
        reply = client.chat_postMessage(
            channel=channel, text=text, blocks=blocks, unfurl_links=False
        )
    except SlackApiError as exc:
        log.warning(
            "access message not delivered",
            extra={"detail": f"{channel}: {exc.response.get('error')}"},
        )
        return None
    return str(reply["channel"]), str(reply["ts"])


def _update(
    client: WebClient, channel: str, ts: str, message: tuple[str, list[dict[str, Any]]]
) -> None:
    text, blocks = message
    try:
        client.chat_update(channel=channel, ts=ts, text=text, blocks=blocks)
    except SlackApiError as exc:
        log.warning(
            "access message not updated",
            extra={"detail": f"{channel}: {exc.response.get('error')}"},
        )


def _refresh_copies(
    runtime: Runtime,
    client: WebClient,
    request: RequestView,
    tz: ZoneInfo,
    *,
    break_glass: bool = False,
) -> None:
    """Every copy of the request (approvers' and the requester's) says what happened."""
    now = runtime.now()
    with runtime.session() as session:
        copies = {
            role: service.copies(session, request.id, role)
            for role in ("approver", "requester", "grant")
        }
    for channel, ts in copies["approver"]:
        _update(client, channel, ts, views.approver_message(request, tz, now=now))
    for channel, ts in copies["requester"]:
        message = views.requester_message(request, tz, now=now, break_glass=break_glass)
        _update(client, channel, ts, message)
    for channel, ts in copies["grant"]:
        _update(client, channel, ts, views.grant_message(request, tz, now=now))


# --- /access request -------------------------------------------------------------------------


@answering
def request(
    runtime: Runtime, client: WebClient, *, user_id: str, account: str, duration: str, reason: str
) -> Reply:
    with _directory(runtime) as (session, directory):
        result = service.request_access(
            session=session,
            directory=directory,
            requester=user_id,
            account_text=account,
            duration_text=duration,
            reason=reason,
            now=runtime.now(),
        )
        channel = service.access_channel(session)
    if not result.ok or result.request is None or result.account is None:
        return _refusal(runtime, client, user_id, directory, result)
    new = result.request
    org_tz = directory.timezone
    now = runtime.now()
    destinations = [channel] if channel else sorted(result.account.approvers - {user_id})
    for_approvers = views.approver_message(new, org_tz, now=now)
    posted = [p for p in (_post(client, d, for_approvers) for d in destinations) if p]
    requester_tz = _tz(runtime, client, user_id, directory)
    mine = _post(client, user_id, views.requester_message(new, requester_tz, now=now))
    with runtime.session() as session:
        for where, ts in posted:
            service.add_copy(session, new.id, "approver", where, ts)
        if mine:
            service.add_copy(session, new.id, "requester", *mine)
    who = "the access channel" if channel else "the account's approvers"
    return Reply(
        f"Request #{new.id} for {views.inert(new.account)} went to {who}. "
        "I'll tell you when it's decided."
    )


def request_form_errors(runtime: Runtime, *, duration: str, reason: str) -> dict[str, str]:
    """What the request form can say at once, before anything is stored."""
    errors: dict[str, str] = {}
    parsed = parse_duration(duration)
    if isinstance(parsed, Reason):
        errors["duration"] = views.REFUSALS[parsed][:150]
    if not reason.strip():
        errors["reason"] = "Please give a reason."
    return errors


@answering
def open_request_form(
    runtime: Runtime, client: WebClient, *, user_id: str, trigger_id: str
) -> Reply | None:
    with _directory(runtime) as (session, directory):
        accounts = [a for a in service.accounts(session, directory) if a.active]
    if not directory.roles(user_id).is_member:
        return Reply(views.REFUSALS[Reason.NOT_MEMBER])
    if not accounts:
        return Reply("The organisation file lists no accounts yet, so there's nothing to request.")
    client.views_open(trigger_id=trigger_id, view=views.request_modal(accounts))
    return None


@answering
def request_from_form(
    runtime: Runtime,
    client: WebClient,
    *,
    user_id: str,
    account_id: str,
    duration: str,
    reason: str,
) -> Reply:
    with _directory(runtime) as (session, _):
        key = service.account_key(session, int(account_id)) if account_id.isdigit() else ""
    return request(
        runtime, client, user_id=user_id, account=key, duration=duration, reason=reason
    ) or Reply("")


# --- deciding --------------------------------------------------------------------------------


def _after_decision(
    runtime: Runtime, client: WebClient, directory: Directory, result: Result
) -> None:
    decided = result.request
    assert decided is not None
    org_tz = directory.timezone
    _refresh_copies(runtime, client, decided, org_tz)
    requester_tz = _tz(runtime, client, decided.requester, directory)
    if decided.status is Status.ACTIVE and result.granted_now:
        grant = views.grant_message(decided, requester_tz, now=runtime.now())
        posted = _post(client, decided.requester, grant)
        if posted:
            with runtime.session() as session:
                service.add_copy(session, decided.id, "grant", *posted)
    elif decided.status is Status.DENIED:
        _post(client, decided.requester, views.decided_notice(decided, requester_tz))


@answering
def approve(runtime: Runtime, client: WebClient, *, user_id: str, request_id: int) -> Reply | None:
    directory, result = _decide(
        runtime,
        client,
        user_id,
        lambda session, directory: service.approve(
            session=session,
            directory=directory,
            request_id=request_id,
            actor=user_id,
            now=runtime.now(),
        ),
    )
    _after_decision(runtime, client, directory, result)
    return None


@answering
def open_deny_form(
    runtime: Runtime, client: WebClient, *, user_id: str, request_id: int, trigger_id: str
) -> Reply | None:
    _decide(
        runtime,
        client,
        user_id,
        lambda session, directory: service.check_deny(
            session=session, directory=directory, request_id=request_id, actor=user_id
        ),
    )
    client.views_open(trigger_id=trigger_id, view=views.deny_modal(request_id))
    return None


@answering
def deny(
    runtime: Runtime, client: WebClient, *, user_id: str, request_id: int, reason: str
) -> Reply | None:
    directory, result = _decide(
        runtime,
        client,
        user_id,
        lambda session, directory: service.deny(
            session=session,
            directory=directory,
            request_id=request_id,
            actor=user_id,
            reason=reason,
            now=runtime.now(),
        ),
    )
    _after_decision(runtime, client, directory, result)
    return None


def _open_break_glass(
    runtime: Runtime,
    client: WebClient,
    *,
    user_id: str,
    request_id: int,
    trigger_id: str,
    reason: str = "",
) -> Reply | None:
    directory, result = _decide(
        runtime,
        client,
        user_id,
        lambda session, directory: service.check_break_glass(
            session=session,
            directory=directory,
            request_id=request_id,
            actor=user_id,
            now=runtime.now(),
        ),
    )
    if result.request is None:
        return _refusal(runtime, client, user_id, directory, result)
    client.views_open(
        trigger_id=trigger_id, view=views.break_glass_modal(result.request, reason=reason)
    )
    return None


@answering
def open_break_glass_form(
    runtime: Runtime, client: WebClient, *, user_id: str, request_id: int, trigger_id: str
) -> Reply | None:
    return _open_break_glass(
        runtime, client, user_id=user_id, request_id=request_id, trigger_id=trigger_id
    )


@answering
def break_glass_from_command(
    runtime: Runtime,
    client: WebClient,
    *,
    user_id: str,
    request_id: int,
    reason: str,
    trigger_id: str,
) -> Reply | None:
    """`/access break-glass #id reason`: the same confirmation modal, its reason filled in."""
    return _open_break_glass(
        runtime,
        client,
        user_id=user_id,
        request_id=request_id,
        trigger_id=trigger_id,
        reason=reason,
    )


@answering
def break_glass(
    runtime: Runtime,
    client: WebClient,
    *,
    user_id: str,
    request_id: int,
    reason: str,
    confirmed: bool,
) -> Reply | None:
    directory, result = _decide(
        runtime,
        client,
        user_id,
        lambda session, directory: service.break_glass(
            session=session,
            directory=directory,
            request_id=request_id,
            actor=user_id,
            reason=reason,
            confirmed=confirmed,
            now=runtime.now(),
        ),
    )
    if result.request is None or result.account is None:
        return _refusal(runtime, client, user_id, directory, result)
    granted = result.request
    _after_decision(runtime, client, directory, result)
    for approver in sorted(result.account.approvers - {user_id}):
        _post(
            client,
            approver,
            views.break_glass_alert(
                granted, reason, _tz(runtime, client, approver, directory), now=runtime.now()
            ),
        )
    return Reply(
        f"Break-glass recorded: access #{granted.id} is yours; every approver has been told."
    )


# --- using a grant ---------------------------------------------------------------------------


def _reveal_view(
    runtime: Runtime, client: WebClient, user_id: str, request_id: int, *, refresh: bool
) -> tuple[dict[str, Any] | None, Reply | None]:
    vault = vault_of(runtime)
    if vault is None:
        raise _Unavailable(views.NOT_CONFIGURED)
    with _directory(runtime) as (session, directory):
        shown = service.reveal(
            session=session,
            vault=vault,
            request_id=request_id,
            actor=user_id,
            now=runtime.now(),
            refresh=refresh,
        )
    tz = _tz(runtime, client, user_id, directory)
    now = runtime.now()
    if not shown.decision.ok or shown.secret is None or shown.request is None:
        refused = Result(shown.decision, request=shown.request)
        return None, Reply(views.refusal(refused, tz, now=now))
    secret = shown.secret
    code = current_code(secret.totp_seed, now) if secret.totp_seed else None
    return views.reveal_modal(shown.request, secret, code, tz, now=now), None


@answering
def reveal(
    runtime: Runtime, client: WebClient, *, user_id: str, request_id: int, trigger_id: str
) -> Reply | None:
    view, refused = _reveal_view(runtime, client, user_id, request_id, refresh=False)
    if view is None:
        return refused
    client.views_open(trigger_id=trigger_id, view=view)
    return None


@answering
def refresh(
    runtime: Runtime, client: WebClient, *, user_id: str, request_id: int, view_id: str
) -> Reply | None:
    """The Refresh button in the reveal modal: a new code, in the same window (views.update)."""
    view, refused = _reveal_view(runtime, client, user_id, request_id, refresh=True)
    if view is None:
        view = views.notice_modal(f"Access #{request_id}", refused.text if refused else "")
    client.views_update(view_id=view_id, view=view)
    return None


@answering
def revoke(runtime: Runtime, client: WebClient, *, user_id: str, request_id: int) -> Reply:
    directory, result = _decide(
        runtime,
        client,
        user_id,
        lambda session, directory: service.revoke(
            session=session,
            directory=directory,
            request_id=request_id,
            actor=user_id,
            now=runtime.now(),
        ),
    )
    if result.request is None:
        return _refusal(runtime, client, user_id, directory, result)
    ended = result.request
    _refresh_copies(runtime, client, ended, directory.timezone)
    if ended.requester != user_id:
        _post(
            client,
            ended.requester,
            f"Your access #{ended.id} to {views.inert(ended.account)} was revoked by "
            f"{views.mention(user_id)}; Reveal no longer works.",
        )
    return Reply(
        f"Access #{ended.id} to {views.inert(ended.account)} is revoked; Reveal no longer works."
    )


# --- secrets ---------------------------------------------------------------------------------


@answering
def open_set_form(
    runtime: Runtime, client: WebClient, *, user_id: str, account: str, trigger_id: str
) -> Reply | None:
    directory, result = _decide(
        runtime,
        client,
        user_id,
        lambda session, directory: service.check_set_secret(
            session=session, directory=directory, actor=user_id, account_text=account
        ),
    )
    if result.account is None:
        return _refusal(runtime, client, user_id, directory, result)
    client.views_open(trigger_id=trigger_id, view=views.set_secret_modal(result.account))
    return None


def set_form_errors(*, password: str, totp_seed: str) -> dict[str, str]:
    """Shown on the form at once; never echoes what was typed."""
    errors: dict[str, str] = {}
    if not password:
        errors["password"] = "A password is required."
    if totp_seed.strip():
        try:
            normalise_seed(totp_seed)
        except SeedNotBase32:
            errors["totp"] = "That isn't a base32 seed (letters A–Z and digits 2–7)."
    return errors


@answering
def store_secret(
    runtime: Runtime,
    client: WebClient,
    *,
    user_id: str,
    account_id: int,
    password: str,
    totp_seed: str,
    notes: str,
) -> Reply:
    vault = vault_of(runtime)
    with _directory(runtime) as (session, directory):
        assert vault is not None
        result = service.set_secret(
            session=session,
            directory=directory,
            vault=vault,
            account_id=account_id,
            actor=user_id,
            password=password,
            totp_seed=totp_seed,
            notes=notes,
            now=runtime.now(),
        )
    if not result.ok or result.account is None:
        return _refusal(runtime, client, user_id, directory, result)
    return Reply(
        f"Stored the secret of {views.inert(result.account.key)} (encrypted); this counts as "
        "a rotation. Grantees see it with Reveal."
    )


# --- lists, audit, help, App Home ------------------------------------------------------------


@answering
def list_requests(runtime: Runtime, client: WebClient, *, user_id: str) -> Reply:
    with _directory(runtime) as (session, directory):
        found = service.listing(session=session, directory=directory, user_id=user_id)
    text, blocks = views.list_message(
        found, _tz(runtime, client, user_id, directory), now=runtime.now()
    )
    return Reply(text, blocks)


@answering
def audit_in_slack(
    runtime: Runtime, client: WebClient, *, user_id: str, account: str | None, since: date | None
) -> Reply:
    with _directory(runtime, need_vault=False) as (session, directory):
        key = None
        if account:
            info, refusal = service.resolve(session, directory, account)
            if refusal is not None and refusal.decision.reason is Reason.ACCOUNT_RETIRED:
                info = refusal.account  # a retired account's history is still readable
            elif refusal is not None:
                return _refusal(runtime, client, user_id, directory, refusal)
            approvers = info.approvers if info else frozenset()
            key = info.key if info else None
        else:
            approvers = frozenset(
                u for a in service.accounts(session, directory) for u in a.approvers
            )
        decision = decide_audit(actor=user_id, approvers=approvers)
        if not decision.ok:
            return _refusal(runtime, client, user_id, directory, Result(decision))
        moment = datetime.combine(since, time(), directory.timezone) if since else None
        entries = service.latest_audit(session, account=key, since=moment, limit=AUDIT_SHOWN)
    text, blocks = views.audit_message(
        entries, _tz(runtime, client, user_id, directory), now=runtime.now()
    )
    return Reply(text, blocks)


def help_reply() -> Reply:
    text, blocks = views.help_message()
    return Reply(text, blocks)


def refusal_reply(runtime: Runtime, reason: Reason) -> Reply:
    """A refusal decided before any service call (so about no request: no time zone needed)."""
    return Reply(views.refusal(Result(refuse(reason)), ZoneInfo("UTC"), now=runtime.now()))


def home_section(
    runtime: Runtime, session: Session, directory: Directory | None, user_id: str, tz: ZoneInfo
) -> list[dict[str, Any]]:
    """App Home's Access section: my active grants (Reveal), and what waits for an approver."""
    if directory is None or vault_of(runtime) is None or not directory.roles(user_id).is_member:
        return []
    found = service.listing(session=session, directory=directory, user_id=user_id)
    return views.home_blocks(found, tz, now=runtime.now())


# --- the access-expiry job -------------------------------------------------------------------


def run_expiry(runtime: Runtime, client: WebClient) -> str:
    """Every minute: expire unanswered requests, offer break-glass, warn and end grants, prompt
    rotations; each change records its notice in the same transaction, then notices go out."""
    now = runtime.now()
    try:
        with runtime.session() as session:
            directory = runtime.organisation(session)
            expired = service.expire_requests(session=session, now=now)
            offers = service.offer_break_glass(session=session, directory=directory, now=now)
            warned, ended = service.warn_and_end(session=session, now=now)
            prompts = service.rotation_prompts(session=session, directory=directory, now=now)
    except NoOrganisation:
        return "no organisation loaded"
    sent = _send_notices(runtime, client, directory)
    return (
        f"{expired} requests expired, {warned} grants warned, {ended} ended, "
        f"{prompts} rotation prompts, {offers} break-glass offers; {sent} notices sent"
    )


def _send_notices(runtime: Runtime, client: WebClient, directory: Directory) -> int:
    with runtime.session() as session:
        notices = list(service.pending_notices(session))
    sent = 0
    for notice in notices:
        assert notice.id is not None
        with runtime.session() as session:
            if not service.claim_notice(session, notice.id, runtime.now()):
                continue  # another run has it
        try:
            _deliver(
                runtime,
                client,
                directory,
                notice.kind,
                notice.recipient,
                notice.request_id,
                notice.account_id,
            )
            state = "sent"
        except SlackApiError as exc:
            error = str(exc.response.get("error"))
            log.warning("access notice not delivered", extra={"detail": f"{notice.kind}: {error}"})
            state = "failed" if error in PERMANENT else "pending"
        with runtime.session() as session:
            service.settle_notice(session, notice.id, state=state, now=runtime.now())
        sent += state == "sent"
    return sent


def _deliver(
    runtime: Runtime,
    client: WebClient,
    directory: Directory,
    kind: str,
    recipient: str,
    request_id: int | None,
    account_id: int | None,
) -> None:
    """One notice; raises SlackApiError if Slack refused the message that matters."""
    tz = _tz(runtime, client, recipient, directory)
    if kind == "rotate":
        with runtime.session() as session:
            key, viewers = service.viewers_since_rotation(session, account_id or 0)
        client.chat_postMessage(channel=recipient, text=views.rotation_text(key, viewers))
        return
    with runtime.session() as session:
        current = service.view(session, request_id or 0)
    if current is None:
        return
    if kind == "request_expired":
        client.chat_postMessage(channel=recipient, text=views.request_expired_text(current))
        _refresh_copies(runtime, client, current, directory.timezone)
    elif kind == "grant_ending":
        client.chat_postMessage(
            channel=recipient, text=views.ending_soon_text(current, tz, now=runtime.now())
        )
    elif kind == "grant_ended":
        client.chat_postMessage(channel=recipient, text=views.ended_text(current))
        _refresh_copies(runtime, client, current, directory.timezone)
    elif kind == "break_glass_offer" and current.status is Status.PENDING:
        with runtime.session() as session:
            mine = service.copies(session, current.id, "requester")
        message = views.requester_message(current, tz, now=runtime.now(), break_glass=True)
        if mine:
            client.chat_update(
                channel=mine[0][0], ts=mine[0][1], text=message[0], blocks=message[1]
            )
        else:
            client.chat_postMessage(channel=recipient, text=message[0], blocks=message[1])
