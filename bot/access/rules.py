"""The rules of credential access: pure functions over plain values, each returning a Decision.

Approvers of an account are the overall coordinators plus the coordinators of the account's
department. Nobody approves their own request; only the grantee reveals, only while active."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from enum import StrEnum

from bot.decisions import Decision as SharedDecision

BREAK_GLASS_AFTER = timedelta(minutes=15)
REQUEST_EXPIRES_AFTER = timedelta(hours=24)
WARN_BEFORE_END = timedelta(minutes=10)
ROTATION_REMINDER_EVERY = timedelta(days=7)
MAX_REASON = 500


class Status(StrEnum):
    PENDING = "pending"
    ACTIVE = "active"
    DENIED = "denied"
    EXPIRED = "expired"  # nobody answered within 24 hours
    ENDED = "ended"  # the grant ran its time
    REVOKED = "revoked"

    @property
    def is_open(self) -> bool:
        return self in (Status.PENDING, Status.ACTIVE)


class Reason(StrEnum):
    OK = "ok"
    NOT_CONFIGURED = "not_configured"
    NOT_MEMBER = "not_member"
    UNKNOWN_ACCOUNT = "unknown_account"
    AMBIGUOUS_ACCOUNT = "ambiguous_account"
    ACCOUNT_RETIRED = "account_retired"
    DURATION_MALFORMED = "duration_malformed"
    DURATION_NEGATIVE = "duration_negative"
    DURATION_ZERO = "duration_zero"
    DURATION_ABOVE_CAP = "duration_above_cap"
    REASON_MISSING = "reason_missing"
    ALREADY_OPEN = "already_open"
    NO_SUCH_REQUEST = "no_such_request"
    NOT_APPROVER = "not_approver"
    OWN_REQUEST = "own_request"
    NOT_PENDING = "not_pending"
    ALREADY_DECIDED = "already_decided"
    ALREADY_APPROVED_BY_YOU = "already_approved_by_you"
    NOT_REQUESTER = "not_requester"
    TOO_EARLY = "too_early"
    ALREADY_ANSWERED = "already_answered"
    NOT_GRANTEE = "not_grantee"
    NOT_ACTIVE = "not_active"
    GRANT_ENDED = "grant_ended"
    GRANT_REVOKED = "grant_revoked"
    NO_SECRET = "no_secret"
    NOT_YOURS = "not_yours"
    SECRET_IN_COMMAND = "secret_in_command"
    SEED_NOT_BASE32 = "seed_not_base32"
    PASSWORD_MISSING = "password_missing"
    NOT_CONFIRMED = "not_confirmed"


Decision = SharedDecision[Reason]  # the one shape of every rule's answer (bot/decisions.py)
GRANTED: Decision = SharedDecision(True, Reason.OK)


def refuse(reason: Reason) -> Decision:
    return SharedDecision(False, reason)


def approvers_for(overall: Iterable[str], department_coordinators: Iterable[str]) -> frozenset[str]:
    return frozenset(overall) | frozenset(department_coordinators)


def decide_request(
    *,
    is_member: bool,
    account_active: bool,
    duration: timedelta,
    cap: timedelta,
    reason: str,
    has_open: bool,
) -> Decision:
    if not is_member:
        return refuse(Reason.NOT_MEMBER)
    if not account_active:
        return refuse(Reason.ACCOUNT_RETIRED)
    if duration <= timedelta(0):
        return refuse(Reason.DURATION_ZERO)
    if duration > cap:
        return refuse(Reason.DURATION_ABOVE_CAP)
    if not reason.strip():
        return refuse(Reason.REASON_MISSING)
    if has_open:
        return refuse(Reason.ALREADY_OPEN)
    return GRANTED


def _may_decide(actor: str, requester: str, approvers: frozenset[str], status: Status) -> Decision:
    if actor not in approvers:
        return refuse(Reason.NOT_APPROVER)
    if actor == requester:
        return refuse(Reason.OWN_REQUEST)
    if status is not Status.PENDING:
        return refuse(Reason.NOT_PENDING)
    return GRANTED


def decide_approval(
    *,
    actor: str,
    requester: str,
    approvers: frozenset[str],
    status: Status,
    approved_by: frozenset[str] = frozenset(),
) -> Decision:
    """An approver's Approve. With two approvals needed, the same person cannot give both."""
    decision = _may_decide(actor, requester, approvers, status)
    if decision.ok and actor in approved_by:
        return refuse(Reason.ALREADY_APPROVED_BY_YOU)
    return decision


def decide_deny(
    *, actor: str, requester: str, approvers: frozenset[str], status: Status
) -> Decision:
    return _may_decide(actor, requester, approvers, status)


def decide_break_glass(
    *,
    actor: str,
    requester: str,
    approvers: frozenset[str],
    status: Status,
    requested_at: datetime,
    now: datetime,
    approvals_so_far: int,
) -> Decision:
    """A coordinator who approves this account grants their own request, when no approver has
    answered it within 15 minutes."""
    if actor != requester:
        return refuse(Reason.NOT_REQUESTER)
    if actor not in approvers:
        return refuse(Reason.NOT_APPROVER)
    if status is not Status.PENDING:
        return refuse(Reason.NOT_PENDING)
    if approvals_so_far:
        return refuse(Reason.ALREADY_ANSWERED)
    if now - requested_at < BREAK_GLASS_AFTER:
        return refuse(Reason.TOO_EARLY)
    return GRANTED


def _active(status: Status, ends_at: datetime | None, now: datetime) -> Decision:
    if status is Status.REVOKED:
        return refuse(Reason.GRANT_REVOKED)
    if status is Status.ENDED or (
        status is Status.ACTIVE and ends_at is not None and ends_at <= now
    ):
        return refuse(Reason.GRANT_ENDED)
    if status is not Status.ACTIVE:
        return refuse(Reason.NOT_ACTIVE)
    return GRANTED


def decide_reveal(
    *,
    actor: str,
    grantee: str,
    status: Status,
    ends_at: datetime | None,
    now: datetime,
    has_secret: bool,
) -> Decision:
    if actor != grantee:
        return refuse(Reason.NOT_GRANTEE)
    decision = _active(status, ends_at, now)
    if not decision.ok:
        return decision
    if not has_secret:
        return refuse(Reason.NO_SECRET)
    return GRANTED


def decide_revoke(
    *,
    actor: str,
    grantee: str,
    approvers: frozenset[str],
    status: Status,
    ends_at: datetime | None,
    now: datetime,
) -> Decision:
    """An approver of the account, or the grantee for their own grant."""
    if actor != grantee and actor not in approvers:
        return refuse(Reason.NOT_YOURS)
    return _active(status, ends_at, now)


def decide_set_secret(*, actor: str, approvers: frozenset[str], account_active: bool) -> Decision:
    if actor not in approvers:
        return refuse(Reason.NOT_APPROVER)
    if not account_active:
        return refuse(Reason.ACCOUNT_RETIRED)
    return GRANTED


def decide_audit(*, actor: str, approvers: frozenset[str]) -> Decision:
    """The audit is for approvers: of the account asked about, or of any account."""
    return GRANTED if actor in approvers else refuse(Reason.NOT_APPROVER)
