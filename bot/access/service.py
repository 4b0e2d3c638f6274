"""Credential access over a database session: the rules applied, then the changes and the audit.

Each function checks its rule first and changes nothing when refused. Time is always the
caller's `now` (the app's clock), never the database's."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlmodel import Session

from bot.access import rules
from bot.access.accounts import AccountRef, resolve_account
from bot.access.audit import GENESIS, AuditEntry, AuditKind, ChainBreak, entry_hash, verify_chain
from bot.access.durations import parse_duration
from bot.access.rules import Decision, Reason, Status, refuse
from bot.access.totp import SeedNotBase32, normalise_seed
from bot.access.vault import Secret, Vault
from bot.organisation.directory import Directory
from storage.models import (
    AccessApproval,
    AccessAudit,
    AccessDecision,
    AccessNotice,
    AccessRequest,
    AccessSecret,
    Account,
)
from storage.repositories import access as repo

LIST_LIMIT = 15


@dataclass(frozen=True)
class AccountInfo:
    id: int
    key: str  # platform:handle
    active: bool
    max_access: timedelta
    approvals: int
    approvers: frozenset[str]


@dataclass(frozen=True)
class RequestView:
    """A request (and, once approved, the grant) as plain values for messages and lists."""

    id: int
    account_id: int
    account: str
    requester: str
    duration: timedelta
    reason: str
    status: Status
    approvals_needed: int
    requested_at: datetime
    approved_by: tuple[str, ...] = ()
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    decided_by: str = ""
    decided_at: datetime | None = None
    deny_reason: str = ""
    break_glass: bool = False
    ended_by: str = ""
    ended_at: datetime | None = None


@dataclass(frozen=True)
class Result:
    decision: Decision
    request: RequestView | None = None
    account: AccountInfo | None = None
    candidates: tuple[str, ...] = ()
    decided_by: str = ""  # ALREADY_DECIDED: who won, and what they decided
    decided_outcome: str = ""
    granted_now: bool = False  # this approval completed the grant

    @property
    def ok(self) -> bool:
        return self.decision.ok


@dataclass(frozen=True)
class Reveal:
    decision: Decision
    request: RequestView | None = None
    secret: Secret | None = field(default=None, repr=False)


# --- accounts and approvers ------------------------------------------------------------------


def account_info(directory: Directory, row: Account) -> AccountInfo:
    department = row.department_id if row.department_id in directory.departments else None
    coordinators = directory.coordinators_of(department) if department is not None else ()
    return AccountInfo(
        id=row.id or 0,
        key=f"{row.platform}:{row.handle}",
        active=row.active,
        max_access=timedelta(minutes=row.max_access_minutes),
        approvals=row.approvals,
        approvers=rules.approvers_for(directory.overall_coordinators, coordinators),
    )


def accounts(session: Session, directory: Directory) -> list[AccountInfo]:
    return [account_info(directory, a) for a in repo.accounts(session)]


def approves_anything(session: Session, directory: Directory, user_id: str) -> bool:
    return any(user_id in a.approvers for a in accounts(session, directory) if a.active)


def resolve(
    session: Session, directory: Directory, text: str
) -> tuple[AccountInfo | None, Result | None]:
    """The account `text` names, or a refusal (unknown with suggestions, ambiguous, retired)."""
    infos = {a.id: a for a in accounts(session, directory)}
    refs = [
        AccountRef(a.id, platform, handle, active=a.active)
        for a in infos.values()
        for platform, handle in [a.key.split(":", 1)]
    ]
    found = resolve_account(text, refs)
    if found.reason is not Reason.OK or found.account is None:
        info = infos.get(found.account.id) if found.account else None
        return None, Result(refuse(found.reason), account=info, candidates=found.candidates)
    return infos[found.account.id], None


def _view(session: Session, request: AccessRequest, account_key: str | None = None) -> RequestView:
    assert request.id is not None
    if account_key is None:
        row = repo.account(session, request.account_id)
        account_key = f"{row.platform}:{row.handle}" if row else "?"
    decided = repo.decision(session, request.id)
    return RequestView(
        id=request.id,
        account_id=request.account_id,
        account=account_key,
        requester=request.requester,
        duration=timedelta(minutes=request.minutes),
        reason=request.reason,
        status=Status(request.status),
        approvals_needed=request.approvals_needed,
        requested_at=request.requested_at,
        approved_by=tuple(a.approver for a in repo.approvals(session, request.id)),
        starts_at=request.starts_at,
        ends_at=request.ends_at,
        decided_by=decided.decided_by if decided else "",
        decided_at=decided.decided_at if decided else None,
        deny_reason=decided.reason if decided and decided.outcome == "denied" else "",
        break_glass=request.break_glass,
        ended_by=request.ended_by,
        ended_at=request.ended_at,
    )


def view(session: Session, request_id: int) -> RequestView | None:
    request = repo.request(session, request_id)
    return _view(session, request) if request else None


def _request_and_account(
    session: Session, directory: Directory, request_id: int, *, lock: bool = False
) -> tuple[AccessRequest, AccountInfo] | None:
    request = repo.request(session, request_id, lock=lock)
    row = repo.account(session, request.account_id) if request else None
    if request is None or row is None:
        return None
    return request, account_info(directory, row)


# --- the audit log ---------------------------------------------------------------------------


def audit(
    session: Session,
    *,
    now: datetime,
    kind: AuditKind,
    actor: str,
    account: str = "",
    request_id: int | None = None,
    detail: str = "",
) -> None:
    """Append one entry to the chain, in the caller's transaction. A concurrent writer that
    took the same seq makes the insert fail; re-read the tail and try again."""
    for _ in range(50):
        last = repo.last_audit(session)
        entry = AuditEntry(
            seq=(last.seq + 1) if last else 1,
            at=now,
            kind=kind.value,
            actor=actor,
            account=account,
            request_id=request_id,
            detail=detail[:1000],
            prev_hash=last.hash if last else GENESIS,
        )
        row = AccessAudit(**{**entry.__dict__, "hash": entry_hash(entry)})
        if repo.append_audit(session, row):
            return
        session.expire_all()
    raise RuntimeError("could not append to the audit log")


def _entry(row: AccessAudit) -> AuditEntry:
    return AuditEntry(
        seq=row.seq,
        at=row.at,
        kind=row.kind,
        actor=row.actor,
        account=row.account,
        request_id=row.request_id,
        detail=row.detail,
        prev_hash=row.prev_hash,
        hash=row.hash,
    )


def verify_audit(session: Session) -> tuple[int, ChainBreak | None]:
    return verify_chain(_entry(r) for r in repo.audit_rows(session))


def audit_entries(
    session: Session, *, account: str | None = None, since: datetime | None = None
) -> list[AuditEntry]:
    return [_entry(r) for r in repo.audit_rows(session, account=account, since=since)]


def latest_audit(
    session: Session, *, account: str | None, since: datetime | None, limit: int
) -> list[AuditEntry]:
    return [
        _entry(r) for r in repo.latest_audit(session, account=account, since=since, limit=limit)
    ]


# --- requesting ------------------------------------------------------------------------------


def request_access(
    *,
    session: Session,
    directory: Directory,
    requester: str,
    account_text: str,
    duration_text: str,
    reason: str,
    now: datetime,
) -> Result:
    account, refused = resolve(session, directory, account_text)
    if refused is not None:
        if not directory.roles(requester).is_member:
            return Result(refuse(Reason.NOT_MEMBER))
        return refused
    assert account is not None
    if not duration_text.strip():  # `/access request linkedin:acme` on its own
        return Result(refuse(Reason.REASON_MISSING), account=account)
    duration = parse_duration(duration_text)
    if isinstance(duration, Reason):
        return Result(refuse(duration), account=account)
    reason = " ".join(reason.split())[: rules.MAX_REASON]
    decision = rules.decide_request(
        is_member=directory.roles(requester).is_member,
        account_active=account.active,
        duration=duration,
        cap=account.max_access,
        reason=reason,
        has_open=repo.open_request(session, account.id, requester) is not None,
    )
    if not decision.ok:
        return Result(decision, account=account)
    row = AccessRequest(
        account_id=account.id,
        requester=requester,
        minutes=int(duration.total_seconds() // 60),
        reason=reason,
        status=Status.PENDING.value,
        approvals_needed=account.approvals,
        requested_at=now,
    )
    if not repo.insert_request(session, row):  # a concurrent request for the same account won
        return Result(refuse(Reason.ALREADY_OPEN), account=account)
    assert row.id is not None
    audit(
        session,
        now=now,
        kind=AuditKind.REQUESTED,
        actor=requester,
        account=account.key,
        request_id=row.id,
        detail=f"{duration_text} · {reason}",
    )
    return Result(decision, request=_view(session, row, account.key), account=account)


# --- deciding --------------------------------------------------------------------------------


def _already(session: Session, request: AccessRequest, decision: Decision) -> Result:
    """A refusal because the request is no longer pending names whoever decided it."""
    if decision.reason is Reason.NOT_PENDING and request.id is not None:
        winner = repo.decision(session, request.id)
        if winner is not None:
            return Result(
                refuse(Reason.ALREADY_DECIDED),
                request=_view(session, request),
                decided_by=winner.decided_by,
                decided_outcome=winner.outcome,
            )
    return Result(decision, request=_view(session, request))


def _lost(session: Session, request: AccessRequest, winner: AccessDecision) -> Result:
    session.expire_all()
    return Result(
        refuse(Reason.ALREADY_DECIDED),
        request=_view(session, request),
        decided_by=winner.decided_by,
        decided_outcome=winner.outcome,
    )


def _grant(
    session: Session,
    request: AccessRequest,
    account: AccountInfo,
    *,
    by: str,
    outcome: str,
    reason: str,
    now: datetime,
) -> Result | None:
    """Record the one decision and start the clock; a Result if someone else decided first."""
    assert request.id is not None
    winner = repo.decide_once(
        session,
        AccessDecision(
            request_id=request.id, outcome=outcome, decided_by=by, decided_at=now, reason=reason
        ),
    )
    if winner is not None:
        return _lost(session, request, winner)
    repo.transition(
        session,
        request.id,
        from_status=Status.PENDING.value,
        to_status=Status.ACTIVE.value,
        starts_at=now,
        ends_at=now + timedelta(minutes=request.minutes),
        break_glass=outcome == "break_glass",
    )
    return None


def _recorded(
    session: Session,
    decision: Decision,
    account: AccountInfo,
    request_id: int,
    *,
    kind: AuditKind,
    actor: str,
    now: datetime,
    detail: str = "",
    granted_now: bool = False,
) -> Result:
    """A change just made to a request: its audit entry, then the request as it now stands."""
    audit(
        session,
        now=now,
        kind=kind,
        actor=actor,
        account=account.key,
        request_id=request_id,
        detail=detail,
    )
    session.expire_all()
    return Result(
        decision, request=view(session, request_id), account=account, granted_now=granted_now
    )


def _deny_rule(request: AccessRequest, account: AccountInfo, actor: str) -> Decision:
    return rules.decide_deny(
        actor=actor,
        requester=request.requester,
        approvers=account.approvers,
        status=Status(request.status),
    )


def approve(
    *, session: Session, directory: Directory, request_id: int, actor: str, now: datetime
) -> Result:
    found = _request_and_account(session, directory, request_id, lock=True)
    if found is None:
        return Result(refuse(Reason.NO_SUCH_REQUEST))
    request, account = found
    given = frozenset(a.approver for a in repo.approvals(session, request_id))
    decision = rules.decide_approval(
        actor=actor,
        requester=request.requester,
        approvers=account.approvers,
        status=Status(request.status),
        approved_by=given,
    )
    if not decision.ok:
        return _already(session, request, decision)
    if not repo.add_approval(
        session, AccessApproval(request_id=request_id, approver=actor, at=now)
    ):
        return Result(refuse(Reason.ALREADY_APPROVED_BY_YOU), request=_view(session, request))
    count = len(repo.approvals(session, request_id))
    if count < request.approvals_needed:
        audit(
            session,
            now=now,
            kind=AuditKind.APPROVED,
            actor=actor,
            account=account.key,
            request_id=request_id,
            detail=f"approval {count} of {request.approvals_needed}",
        )
        return Result(decision, request=_view(session, request), account=account)
    lost = _grant(session, request, account, by=actor, outcome="granted", reason="", now=now)
    if lost is not None:
        return lost
    return _recorded(
        session,
        decision,
        account,
        request_id,
        kind=AuditKind.GRANTED,
        actor=actor,
        now=now,
        detail=f"for {request.minutes} minutes",
        granted_now=True,
    )


def deny(
    *,
    session: Session,
    directory: Directory,
    request_id: int,
    actor: str,
    reason: str,
    now: datetime,
) -> Result:
    found = _request_and_account(session, directory, request_id, lock=True)
    if found is None:
        return Result(refuse(Reason.NO_SUCH_REQUEST))
    request, account = found
    decision = _deny_rule(request, account, actor)
    if not decision.ok:
        return _already(session, request, decision)
    reason = " ".join(reason.split())[: rules.MAX_REASON]
    if not reason:
        return Result(refuse(Reason.REASON_MISSING), request=_view(session, request))
    winner = repo.decide_once(
        session,
        AccessDecision(
            request_id=request_id, outcome="denied", decided_by=actor, decided_at=now, reason=reason
        ),
    )
    if winner is not None:
        return _lost(session, request, winner)
    repo.transition(
        session,
        request_id,
        from_status=Status.PENDING.value,
        to_status=Status.DENIED.value,
        ended_at=now,
        ended_by=actor,
    )
    return _recorded(
        session,
        decision,
        account,
        request_id,
        kind=AuditKind.DENIED,
        actor=actor,
        now=now,
        detail=reason,
    )


def check_deny(*, session: Session, directory: Directory, request_id: int, actor: str) -> Result:
    """The rule deny() applies, asked before the reason is typed."""
    found = _request_and_account(session, directory, request_id)
    if found is None:
        return Result(refuse(Reason.NO_SUCH_REQUEST))
    request, account = found
    decision = _deny_rule(request, account, actor)
    if not decision.ok:
        return _already(session, request, decision)
    return Result(decision, request=_view(session, request), account=account)


def check_break_glass(
    *, session: Session, directory: Directory, request_id: int, actor: str, now: datetime
) -> Result:
    found = _request_and_account(session, directory, request_id)
    if found is None:
        return Result(refuse(Reason.NO_SUCH_REQUEST))
    request, account = found
    decision = rules.decide_break_glass(
        actor=actor,
        requester=request.requester,
        approvers=account.approvers,
        status=Status(request.status),
        requested_at=request.requested_at,
        now=now,
        approvals_so_far=len(repo.approvals(session, request_id)),
    )
    if not decision.ok:
        return _already(session, request, decision)
    return Result(decision, request=_view(session, request), account=account)


def break_glass(
    *,
    session: Session,
    directory: Directory,
    request_id: int,
    actor: str,
    reason: str,
    confirmed: bool,
    now: datetime,
) -> Result:
    checked = check_break_glass(
        session=session, directory=directory, request_id=request_id, actor=actor, now=now
    )
    if not checked.ok:
        return checked
    reason = " ".join(reason.split())[: rules.MAX_REASON]
    if not reason:
        return Result(refuse(Reason.REASON_MISSING), request=checked.request)
    if not confirmed:
        return Result(refuse(Reason.NOT_CONFIRMED), request=checked.request)
    request = repo.request(session, request_id, lock=True)
    assert request is not None and checked.account is not None
    lost = _grant(
        session, request, checked.account, by=actor, outcome="break_glass", reason=reason, now=now
    )
    if lost is not None:
        return lost
    return _recorded(
        session,
        checked.decision,
        checked.account,
        request_id,
        kind=AuditKind.BREAK_GLASS,
        actor=actor,
        now=now,
        detail=reason,
        granted_now=True,
    )


# --- using and ending a grant ----------------------------------------------------------------


def reveal(
    *,
    session: Session,
    vault: Vault,
    request_id: int,
    actor: str,
    now: datetime,
    refresh: bool = False,
) -> Reveal:
    """The secret for the grantee of an active grant; every attempt, refused or not, is audited."""
    request = repo.request(session, request_id)
    if request is None:
        return Reveal(refuse(Reason.NO_SUCH_REQUEST))
    current = _view(session, request)
    stored = repo.secret(session, request.account_id)
    decision = rules.decide_reveal(
        actor=actor,
        grantee=request.requester,
        status=Status(request.status),
        ends_at=request.ends_at,
        now=now,
        has_secret=stored is not None,
    )
    if not decision.ok:
        audit(
            session,
            now=now,
            kind=AuditKind.REVEAL_REFUSED,
            actor=actor,
            account=current.account,
            request_id=request_id,
            detail=(decision.reason or Reason.OK).value,
        )
        return Reveal(decision, request=current)
    assert stored is not None
    secret = vault.open(stored.ciphertext)
    audit(
        session,
        now=now,
        kind=AuditKind.REVEALED,
        actor=actor,
        account=current.account,
        request_id=request_id,
        detail="code refreshed" if refresh else "password and code shown",
    )
    if secret.password:
        repo.mark_revealed(session, request.account_id, now)
    return Reveal(decision, request=current, secret=secret)


def revoke(
    *, session: Session, directory: Directory, request_id: int, actor: str, now: datetime
) -> Result:
    found = _request_and_account(session, directory, request_id, lock=True)
    if found is None:
        return Result(refuse(Reason.NO_SUCH_REQUEST))
    request, account = found
    decision = rules.decide_revoke(
        actor=actor,
        grantee=request.requester,
        approvers=account.approvers,
        status=Status(request.status),
        ends_at=request.ends_at,
        now=now,
    )
    if not decision.ok:
        return Result(decision, request=_view(session, request), account=account)
    if not repo.transition(
        session,
        request_id,
        from_status=Status.ACTIVE.value,
        to_status=Status.REVOKED.value,
        ended_at=now,
        ended_by=actor,
    ):
        session.expire_all()
        return Result(refuse(Reason.NOT_ACTIVE), request=view(session, request_id))
    return _recorded(
        session, decision, account, request_id, kind=AuditKind.REVOKED, actor=actor, now=now
    )


# --- secrets ---------------------------------------------------------------------------------


def check_set_secret(
    *, session: Session, directory: Directory, actor: str, account_text: str
) -> Result:
    account, refused = resolve(session, directory, account_text)
    if refused is not None:
        return refused
    assert account is not None
    decision = rules.decide_set_secret(
        actor=actor, approvers=account.approvers, account_active=account.active
    )
    return Result(decision, account=account)


def set_secret(
    *,
    session: Session,
    directory: Directory,
    vault: Vault,
    account_id: int,
    actor: str,
    password: str,
    totp_seed: str,
    notes: str,
    now: datetime,
) -> Result:
    row = repo.account(session, account_id)
    if row is None:
        return Result(refuse(Reason.UNKNOWN_ACCOUNT))
    account = account_info(directory, row)
    decision = rules.decide_set_secret(
        actor=actor, approvers=account.approvers, account_active=account.active
    )
    if not decision.ok:
        return Result(decision, account=account)
    if not password:
        return Result(refuse(Reason.PASSWORD_MISSING), account=account)
    try:
        seed = normalise_seed(totp_seed) if totp_seed.strip() else ""
    except SeedNotBase32:
        return Result(refuse(Reason.SEED_NOT_BASE32), account=account)
    token = vault.seal(Secret(password=password, totp_seed=seed, notes=notes.strip()))
    existing = repo.secret(session, account_id)
    stored = existing or AccessSecret(
        account_id=account_id, ciphertext="", set_by=actor, rotated_at=now
    )
    stored.ciphertext, stored.set_by, stored.rotated_at = token, actor, now
    stored.revealed_at = stored.prompted_at = None
    repo.save_secret(session, stored)
    audit(
        session,
        now=now,
        kind=AuditKind.SECRET_ROTATED if existing else AuditKind.SECRET_SET,
        actor=actor,
        account=account.key,
        detail="with TOTP seed" if seed else "password only",
    )
    return Result(decision, account=account)


def rotate_keys(*, session: Session, vault: Vault, now: datetime) -> int:
    """Re-encrypt every stored secret under the newest key; how many were re-encrypted."""
    count = 0
    for stored in repo.secrets(session):
        stored.ciphertext = vault.rotate(stored.ciphertext)
        repo.save_secret(session, stored)
        count += 1
    audit(session, now=now, kind=AuditKind.KEYS_ROTATED, actor="operator", detail=f"{count}")
    return count


# --- what the expiry job does ----------------------------------------------------------------


def _notice(
    session: Session,
    *,
    key: str,
    kind: str,
    recipient: str,
    now: datetime,
    request_id: int | None = None,
    account_id: int | None = None,
) -> bool:
    return repo.add_notice(
        session,
        AccessNotice(
            key=key[:120],
            kind=kind,
            recipient=recipient,
            request_id=request_id,
            account_id=account_id,
            created_at=now,
        ),
    )


def _close(
    session: Session,
    request: AccessRequest,
    *,
    from_status: Status,
    to_status: Status,
    ended_at: datetime,
    kind: AuditKind,
    notice: str,
    now: datetime,
) -> bool:
    """The job closes a request: the change, its audit entry and the requester's notice, or
    nothing at all (False) when something else moved the request first."""
    assert request.id is not None
    if not repo.transition(
        session,
        request.id,
        from_status=from_status.value,
        to_status=to_status.value,
        ended_at=ended_at,
    ):
        return False
    view_ = _view(session, request)
    audit(
        session,
        now=now,
        kind=kind,
        actor="socialbot",
        account=view_.account,
        request_id=request.id,
    )
    _notice(
        session,
        key=f"{notice}:{request.id}",
        kind=notice,
        recipient=request.requester,
        request_id=request.id,
        now=now,
    )
    return True


def expire_requests(*, session: Session, now: datetime) -> int:
    """Requests nobody answered within 24 hours expire; the requester is told."""
    count = 0
    for request in repo.pending_before(session, now - rules.REQUEST_EXPIRES_AFTER):
        count += _close(
            session,
            request,
            from_status=Status.PENDING,
            to_status=Status.EXPIRED,
            ended_at=now,
            kind=AuditKind.REQUEST_EXPIRED,
            notice="request_expired",
            now=now,
        )
    return count


def offer_break_glass(*, session: Session, directory: Directory, now: datetime) -> int:
    """After 15 minutes unanswered, a requester who approves the account gets Break glass."""
    count = 0
    for request in repo.pending_before(session, now - rules.BREAK_GLASS_AFTER):
        found = _request_and_account(session, directory, request.id or 0)
        if found is None or request.requester not in found[1].approvers:
            continue
        if repo.approvals(session, request.id or 0):
            continue
        count += _notice(
            session,
            key=f"break_glass_offer:{request.id}",
            kind="break_glass_offer",
            recipient=request.requester,
            request_id=request.id,
            now=now,
        )
    return count


def warn_and_end(*, session: Session, now: datetime) -> tuple[int, int]:
    """10 minutes before a grant ends the grantee is warned; at the end it closes."""
    warned = ended = 0
    for request in repo.active_ending_by(session, now + rules.WARN_BEFORE_END):
        assert request.id is not None and request.ends_at is not None
        if request.ends_at <= now:
            ended += _close(
                session,
                request,
                from_status=Status.ACTIVE,
                to_status=Status.ENDED,
                ended_at=request.ends_at,
                kind=AuditKind.ENDED,
                notice="grant_ended",
                now=now,
            )
        elif request.warned_at is None and repo.mark_warned(session, request.id, now):
            _notice(
                session,
                key=f"grant_ending:{request.id}",
                kind="grant_ending",
                recipient=request.requester,
                request_id=request.id,
                now=now,
            )
            warned += 1
    return warned, ended


def rotation_prompts(*, session: Session, directory: Directory, now: datetime) -> int:
    """After a password reveal, and weekly until rotated, each approver is asked to rotate."""
    count = 0
    for stored in repo.rotation_due(session, now - rules.ROTATION_REMINDER_EVERY):
        row = repo.account(session, stored.account_id)
        if row is None or not repo.claim_prompt(
            session, stored.account_id, stored.prompted_at, now
        ):
            continue
        for approver in sorted(account_info(directory, row).approvers):
            _notice(
                session,
                key=f"rotate:{stored.account_id}:{now.isoformat()}:{approver}",
                kind="rotate",
                recipient=approver,
                account_id=stored.account_id,
                now=now,
            )
        count += 1
    return count


def viewers_since_rotation(session: Session, account_id: int) -> tuple[str, list[str]]:
    """The account, and who revealed its secret since it was last set or rotated."""
    row = repo.account(session, account_id)
    stored = repo.secret(session, account_id)
    if row is None or stored is None:
        return "?", []
    key = f"{row.platform}:{row.handle}"
    seen = repo.audit_rows(
        session, account=key, since=stored.rotated_at, kinds=[AuditKind.REVEALED.value]
    )
    return key, sorted({r.actor for r in seen})


def pending_notices(session: Session) -> Sequence[AccessNotice]:
    return repo.pending_notices(session)


def claim_notice(session: Session, notice_id: int, now: datetime) -> bool:
    return repo.set_notice_state(
        session, notice_id, from_state="pending", to_state="sending", now=now
    )


def settle_notice(session: Session, notice_id: int, *, state: str, now: datetime) -> None:
    """sent; pending again for the next run (Slack refused it, so nothing reached anyone); or
    failed, when no retry can help (the recipient has gone)."""
    repo.set_notice_state(session, notice_id, from_state="sending", to_state=state, now=now)


# --- lists -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Listing:
    mine: tuple[RequestView, ...]
    waiting: tuple[RequestView, ...]  # approvers: pending and active in their scope
    approver: bool


def listing(*, session: Session, directory: Directory, user_id: str) -> Listing:
    infos = accounts(session, directory)
    mine = tuple(_view(session, r) for r in repo.requests_of(session, user_id, LIST_LIMIT))
    scope = [a.id for a in infos if user_id in a.approvers]
    waiting = tuple(
        _view(session, r) for r in repo.open_requests(session, scope) if r.requester != user_id
    )
    return Listing(mine=mine, waiting=waiting, approver=bool(scope))


def secret_exists(session: Session, account_id: int) -> bool:
    return repo.secret(session, account_id) is not None


def account_key(session: Session, account_id: int) -> str:
    row = repo.account(session, account_id)
    return f"{row.platform}:{row.handle}" if row else "?"


def access_channel(session: Session) -> str | None:
    return repo.access_channel(session)


def add_copy(session: Session, request_id: int, role: str, channel: str, ts: str) -> None:
    repo.add_copy(session, request_id, role, channel, ts)


def copies(session: Session, request_id: int, role: str | None = None) -> list[tuple[str, str]]:
    return [(c.channel, c.ts) for c in repo.copies(session, request_id, role)]
