"""Every access rule, for every role, against every action: no Slack, no database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.access import rules
from bot.access.rules import Reason, Status

NOW = datetime(2027, 1, 15, 10, 0, tzinfo=UTC)
OVERALL, DEPT_COORD, OTHER_COORD, CONTRIBUTOR, OUTSIDER = (
    "U0OVERALL",
    "U0MKTLEAD",
    "U0RESLEAD",
    "U0ALICE",
    "U0STRANGER",
)
ROLES = (OVERALL, DEPT_COORD, OTHER_COORD, CONTRIBUTOR, OUTSIDER)
MEMBERS = {OVERALL, DEPT_COORD, OTHER_COORD, CONTRIBUTOR}
# linkedin:acme belongs to Marketing: its coordinator and the overall coordinator approve it.
APPROVERS = rules.approvers_for([OVERALL], [DEPT_COORD])
OK = Reason.OK


def _request(actor: str) -> Reason:
    return rules.decide_request(
        is_member=actor in MEMBERS,
        account_active=True,
        duration=timedelta(hours=2),
        cap=timedelta(hours=8),
        reason="posting the launch video",
        has_open=False,
    ).reason


def _approve_someone_elses(actor: str) -> Reason:
    return rules.decide_approval(
        actor=actor, requester=CONTRIBUTOR, approvers=APPROVERS, status=Status.PENDING
    ).reason


def _approve_own(actor: str) -> Reason:
    return rules.decide_approval(
        actor=actor, requester=actor, approvers=APPROVERS, status=Status.PENDING
    ).reason


def _deny_someone_elses(actor: str) -> Reason:
    return rules.decide_deny(
        actor=actor, requester=CONTRIBUTOR, approvers=APPROVERS, status=Status.PENDING
    ).reason


def _break_glass_own(actor: str) -> Reason:
    return rules.decide_break_glass(
        actor=actor,
        requester=actor,
        approvers=APPROVERS,
        status=Status.PENDING,
        requested_at=NOW - timedelta(minutes=16),
        now=NOW,
        approvals_so_far=0,
    ).reason


def _break_glass_someone_elses(actor: str) -> Reason:
    return rules.decide_break_glass(
        actor=actor,
        requester=CONTRIBUTOR if actor != CONTRIBUTOR else OVERALL,
        approvers=APPROVERS,
        status=Status.PENDING,
        requested_at=NOW - timedelta(minutes=16),
        now=NOW,
        approvals_so_far=0,
    ).reason


def _reveal_own(actor: str) -> Reason:
    return rules.decide_reveal(
        actor=actor,
        grantee=actor,
        status=Status.ACTIVE,
        ends_at=NOW + timedelta(hours=1),
        now=NOW,
        has_secret=True,
    ).reason


def _reveal_someone_elses(actor: str) -> Reason:
    return rules.decide_reveal(
        actor=actor,
        grantee="U0GRANTEE",
        status=Status.ACTIVE,
        ends_at=NOW + timedelta(hours=1),
        now=NOW,
        has_secret=True,
    ).reason


def _revoke(actor: str, grantee: str) -> Reason:
    return rules.decide_revoke(
        actor=actor,
        grantee=grantee,
        approvers=APPROVERS,
        status=Status.ACTIVE,
        ends_at=NOW + timedelta(hours=1),
        now=NOW,
    ).reason


def _set_secret(actor: str) -> Reason:
    return rules.decide_set_secret(actor=actor, approvers=APPROVERS, account_active=True).reason


def _audit(actor: str) -> Reason:
    return rules.decide_audit(actor=actor, approvers=APPROVERS).reason


ACTIONS = {
    "request": _request,
    "approve someone else's": _approve_someone_elses,
    "approve own": _approve_own,
    "deny someone else's": _deny_someone_elses,
    "break glass own": _break_glass_own,
    "break glass someone else's": _break_glass_someone_elses,
    "reveal own grant": _reveal_own,
    "reveal someone else's grant": _reveal_someone_elses,
    "revoke own grant": lambda actor: _revoke(actor, actor),
    "revoke someone else's grant": lambda actor: _revoke(actor, "U0GRANTEE"),
    "set secret": _set_secret,
    "audit": _audit,
}

NA, NR, NG, NY = (
    Reason.NOT_APPROVER,
    Reason.NOT_REQUESTER,
    Reason.NOT_GRANTEE,
    Reason.NOT_YOURS,
)
# role → the outcome of each action, in ACTIONS order.
EXPECTED: dict[str, tuple[Reason, ...]] = {
    OVERALL: (OK, OK, Reason.OWN_REQUEST, OK, OK, NR, OK, NG, OK, OK, OK, OK),
    DEPT_COORD: (OK, OK, Reason.OWN_REQUEST, OK, OK, NR, OK, NG, OK, OK, OK, OK),
    OTHER_COORD: (OK, NA, NA, NA, NA, NR, OK, NG, OK, NY, NA, NA),
    CONTRIBUTOR: (OK, NA, NA, NA, NA, NR, OK, NG, OK, NY, NA, NA),
    OUTSIDER: (Reason.NOT_MEMBER, NA, NA, NA, NA, NR, OK, NG, OK, NY, NA, NA),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_every_role_against_every_action(role: str, action: str) -> None:
    expected = EXPECTED[role][list(ACTIONS).index(action)]
    decision_reason = ACTIONS[action](role)
    assert decision_reason is expected, f"{role} {action}"


def test_a_decision_is_granted_exactly_when_its_reason_is_ok() -> None:
    assert rules.GRANTED.ok and rules.GRANTED.reason is OK
    assert not rules.refuse(Reason.NOT_APPROVER).ok


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"account_active": False}, Reason.ACCOUNT_RETIRED),
        ({"duration": timedelta(0)}, Reason.DURATION_ZERO),
        ({"duration": timedelta(hours=9)}, Reason.DURATION_ABOVE_CAP),
        ({"reason": "   "}, Reason.REASON_MISSING),
        ({"has_open": True}, Reason.ALREADY_OPEN),
        ({"duration": timedelta(hours=8)}, OK),  # the cap itself is allowed
    ],
)
def test_request_refusals(changes: dict, reason: Reason) -> None:
    values = {
        "is_member": True,
        "account_active": True,
        "duration": timedelta(hours=2),
        "cap": timedelta(hours=8),
        "reason": "launch",
        "has_open": False,
    } | changes
    assert rules.decide_request(**values).reason is reason


@pytest.mark.parametrize("status", [s for s in Status if s is not Status.PENDING])
def test_only_pending_requests_are_decided(status: Status) -> None:
    for decide in (rules.decide_approval, rules.decide_deny):
        decision = decide(actor=OVERALL, requester=CONTRIBUTOR, approvers=APPROVERS, status=status)
        assert decision.reason is Reason.NOT_PENDING


def test_the_same_approver_cannot_give_both_of_two_approvals() -> None:
    decision = rules.decide_approval(
        actor=OVERALL,
        requester=CONTRIBUTOR,
        approvers=APPROVERS,
        status=Status.PENDING,
        approved_by=frozenset({OVERALL}),
    )
    assert decision.reason is Reason.ALREADY_APPROVED_BY_YOU
    second = rules.decide_approval(
        actor=DEPT_COORD,
        requester=CONTRIBUTOR,
        approvers=APPROVERS,
        status=Status.PENDING,
        approved_by=frozenset({OVERALL}),
    )
    assert second.ok


@pytest.mark.parametrize(
    ("minutes", "approvals", "status", "reason"),
    [
        (14, 0, Status.PENDING, Reason.TOO_EARLY),
        (15, 0, Status.PENDING, OK),
        (60, 1, Status.PENDING, Reason.ALREADY_ANSWERED),
        (60, 0, Status.DENIED, Reason.NOT_PENDING),
    ],
)
def test_break_glass_waits_fifteen_unanswered_minutes(minutes, approvals, status, reason) -> None:
    decision = rules.decide_break_glass(
        actor=DEPT_COORD,
        requester=DEPT_COORD,
        approvers=APPROVERS,
        status=status,
        requested_at=NOW - timedelta(minutes=minutes),
        now=NOW,
        approvals_so_far=approvals,
    )
    assert decision.reason is reason


@pytest.mark.parametrize(
    ("status", "ends_in", "has_secret", "reason"),
    [
        (Status.ACTIVE, timedelta(minutes=1), True, OK),
        (Status.ACTIVE, timedelta(0), True, Reason.GRANT_ENDED),  # the job has not run yet
        (Status.ENDED, -timedelta(minutes=1), True, Reason.GRANT_ENDED),
        (Status.REVOKED, timedelta(hours=1), True, Reason.GRANT_REVOKED),
        (Status.PENDING, None, True, Reason.NOT_ACTIVE),
        (Status.DENIED, None, True, Reason.NOT_ACTIVE),
        (Status.ACTIVE, timedelta(hours=1), False, Reason.NO_SECRET),
    ],
)
def test_reveal_only_while_active(status, ends_in, has_secret, reason) -> None:
    decision = rules.decide_reveal(
        actor=CONTRIBUTOR,
        grantee=CONTRIBUTOR,
        status=status,
        ends_at=NOW + ends_in if ends_in is not None else None,
        now=NOW,
        has_secret=has_secret,
    )
    assert decision.reason is reason


@pytest.mark.parametrize("status", [Status.ENDED, Status.REVOKED, Status.PENDING])
def test_only_active_grants_are_revoked(status) -> None:
    decision = rules.decide_revoke(
        actor=OVERALL,
        grantee=CONTRIBUTOR,
        approvers=APPROVERS,
        status=status,
        ends_at=None,
        now=NOW,
    )
    assert not decision.ok


def test_secrets_are_not_set_on_retired_accounts() -> None:
    decision = rules.decide_set_secret(actor=OVERALL, approvers=APPROVERS, account_active=False)
    assert decision.reason is Reason.ACCOUNT_RETIRED
