"""The rules of review and the record of decisions.

`decide_review` is a pure function of who clicked and what they clicked on; `record_verdict`
applies it and stores at most one verdict per draft version, whoever clicks and however often."""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlmodel import Session

from bot.decisions import Decision, allow, refuse
from bot.drafts.checks import Report
from bot.drafts.service import DraftInput, content_checks
from bot.organisation.directory import Directory
from bot.organisation.platforms import Platform
from bot.organisation.roles import Roles
from bot.review.waiting import working_hours_between
from bot.schedule.status import SlotStatus
from storage.models import Account, Department, Draft, LeaderApproval, Review, Slot, Verdict
from storage.repositories import once
from storage.repositories import organisation as org_repo
from storage.repositories import reviews as repo
from storage.repositories import slots as slot_repo


class Outcome(StrEnum):
    APPROVED = "approved"
    CHANGES_REQUESTED = "changes_requested"
    REJECTED = "rejected"


class ReviewRefusal(StrEnum):
    NO_SUCH_DRAFT = "no_such_draft"
    NOT_REVIEWER = "not_reviewer"
    OWN_DRAFT = "own_draft"
    OLD_VERSION = "old_version"  # details: the latest version's number
    ALREADY_DECIDED = "already_decided"  # details: who decided first, and their outcome
    NOT_YET = "not_yet"  # the leader step comes after the department's approval
    NOT_OVERALL = "not_overall"
    NOT_PUBLISHER = "not_publisher"
    NOT_IN_REVIEW = "not_in_review"  # cancelled, handed back or otherwise taken out of review
    NOT_APPROVED = "not_approved"


ReviewDecision = Decision[ReviewRefusal]


@dataclass(frozen=True)
class Decided:
    """A decision already stored on a version, as the rules see it."""

    decided_by: str
    outcome: str

    @classmethod
    def of(cls, row: Verdict | LeaderApproval | None) -> Decided | None:
        return cls(row.decided_by, row.outcome) if row is not None else None


def decide_review(
    *,
    roles: Roles,
    author_id: str,
    department_id: int,
    version: int,
    latest_version: int,
    existing: Decided | None,
    in_review: bool = True,
) -> ReviewDecision:
    if not roles.reviews(department_id):
        return refuse(ReviewRefusal.NOT_REVIEWER)
    if roles.user_id == author_id:
        return refuse(ReviewRefusal.OWN_DRAFT)
    if not in_review and existing is None:
        return refuse(ReviewRefusal.NOT_IN_REVIEW)
    if version < latest_version:
        return refuse(ReviewRefusal.OLD_VERSION, str(latest_version))
    if existing is not None:
        return _already(existing)
    return allow()


def _draft_and_slot(session: Session, draft_id: int) -> tuple[Draft, Slot] | None:
    draft = session.get(Draft, draft_id)
    slot = session.get(Slot, draft.slot_id) if draft else None
    if draft is None or slot is None or slot.id is None:
        return None
    return draft, slot


# A version can be decided while its post waits in review, including the instant between its
# message reaching Slack and the slot being marked "in review". Cancelled, handed-back,
# rejected or published posts cannot.
REVIEWABLE = frozenset({SlotStatus.DRAFTED.value, SlotStatus.IN_REVIEW.value})


def is_reviewable(slot: Slot) -> bool:
    return slot.status in REVIEWABLE


def _already(first: Decided | None) -> ReviewDecision:
    if first is None:
        return refuse(ReviewRefusal.ALREADY_DECIDED)
    return refuse(ReviewRefusal.ALREADY_DECIDED, first.decided_by, first.outcome)


def _insert_once(session: Session, decision: Verdict | LeaderApproval) -> ReviewDecision | None:
    """Store a decision unless one exists for that draft (the primary key sees to it, even for
    two coordinators in the same instant). Returns the refusal naming the first decider."""
    winner = once.insert_once(session, decision, decision.draft_id)
    return _already(Decided.of(winner)) if winner is not None else None


Found = tuple[Draft, Slot]


def _step(
    session: Session, directory: Directory, draft_id: int, by: str, *, leader: bool
) -> tuple[ReviewDecision, Found | None]:
    """Whether `by` may take the department's step on this version, or the leader's second
    one, with the facts the rule needs read once."""
    found = _draft_and_slot(session, draft_id)
    if found is None:
        return refuse(ReviewRefusal.NO_SUCH_DRAFT), None
    draft, slot = found
    assert slot.id is not None
    roles, verdict = directory.roles(by), Decided.of(repo.verdict_on(session, draft_id))
    latest = max(d.version for d in repo.versions(session, slot.id))
    if leader:
        decision = decide_leader_step(
            roles=roles,
            author_id=draft.author_id,
            department_verdict=verdict,
            existing=Decided.of(session.get(LeaderApproval, draft_id)),
            version=draft.version,
            latest_version=latest,
            in_review=is_reviewable(slot),
        )
    else:
        decision = decide_review(
            roles=roles,
            author_id=draft.author_id,
            department_id=slot.department_id,
            version=draft.version,
            latest_version=latest,
            existing=verdict,
            in_review=is_reviewable(slot),
        )
    return decision, found


def may_decide(
    *, session: Session, directory: Directory, draft_id: int, by: str, leader_step: bool = False
) -> ReviewDecision:
    """The very rules `record_verdict` / `record_leader_step` apply, asked before a modal opens."""
    return _step(session, directory, draft_id, by, leader=leader_step)[0]


_STATUS = {
    Outcome.APPROVED: SlotStatus.APPROVED,
    Outcome.CHANGES_REQUESTED: SlotStatus.CHANGES_REQUESTED,
    Outcome.REJECTED: SlotStatus.REJECTED,
}


def record_verdict(
    *,
    session: Session,
    directory: Directory,
    draft_id: int,
    outcome: Outcome,
    by: str,
    reason: str,
    now: datetime,
) -> Verdict | ReviewDecision:
    decision, found = _step(session, directory, draft_id, by, leader=False)
    if not decision.ok or found is None:
        return decision
    draft, slot = found
    verdict = Verdict(
        draft_id=draft_id, outcome=outcome.value, decided_by=by, decided_at=now, reason=reason
    )
    lost = _insert_once(session, verdict)
    if lost is not None:
        return lost
    assert slot.id is not None
    needs_second_step = outcome is Outcome.APPROVED and _for_leader(session, slot)
    slot.status = (SlotStatus.IN_REVIEW if needs_second_step else _STATUS[outcome]).value
    session.add(slot)
    slot_repo.add_event(
        session,
        slot_id=slot.id,
        at=now,
        kind=outcome.value,
        actor=by,
        detail=f"v{draft.version} {reason}"[:500],
    )
    return verdict


def _for_leader(session: Session, slot: Slot) -> bool:
    account = session.get(Account, slot.account_id) if slot.account_id else None
    return account is not None and account.kind == "leader"


def decide_leader_step(
    *,
    roles: Roles,
    author_id: str,
    department_verdict: Decided | None,
    existing: Decided | None,
    version: int = 1,
    latest_version: int = 1,
    in_review: bool = True,
) -> ReviewDecision:
    """Posts for a leader's account: after the department approves, an overall coordinator."""
    if department_verdict is None or department_verdict.outcome != Outcome.APPROVED.value:
        return refuse(ReviewRefusal.NOT_YET)
    if not roles.overall:
        return refuse(ReviewRefusal.NOT_OVERALL)
    if roles.user_id == author_id:
        return refuse(ReviewRefusal.OWN_DRAFT)
    if version < latest_version:
        return refuse(ReviewRefusal.OLD_VERSION, str(latest_version))
    if not in_review and existing is None:
        return refuse(ReviewRefusal.NOT_IN_REVIEW)
    if existing is not None:
        return _already(existing)
    return allow()


def record_leader_step(
    *,
    session: Session,
    directory: Directory,
    draft_id: int,
    outcome: Outcome,
    by: str,
    reason: str,
    now: datetime,
) -> LeaderApproval | ReviewDecision:
    decision, found = _step(session, directory, draft_id, by, leader=True)
    if not decision.ok or found is None:
        return decision
    _, slot = found
    step = LeaderApproval(
        draft_id=draft_id, outcome=outcome.value, decided_by=by, decided_at=now, reason=reason
    )
    lost = _insert_once(session, step)
    if lost is not None:
        return lost
    assert slot.id is not None
    slot.status = _STATUS[outcome].value
    session.add(slot)
    slot_repo.add_event(
        session,
        slot_id=slot.id,
        at=now,
        kind=f"leader_{outcome.value}",
        actor=by,
        detail=reason[:400],
    )
    return step


@dataclass(frozen=True)
class ReviewMaterial:
    """Everything a review message shows about one draft version."""

    draft: Draft
    slot: Slot
    department: str
    review_channel: str
    account: str | None
    review: Review | None
    previous_text: str | None
    checks: Report
    verdict: Verdict | None
    for_leader: bool = False
    leader_step: LeaderApproval | None = None

    @property
    def fully_approved(self) -> bool:
        approved = self.verdict is not None and self.verdict.outcome == Outcome.APPROVED.value
        if not self.for_leader:
            return approved
        return (
            approved
            and self.leader_step is not None
            and self.leader_step.outcome == Outcome.APPROVED.value
        )

    @property
    def diff(self) -> list[str]:
        if self.previous_text is None:
            return []
        return [
            line
            for line in difflib.unified_diff(
                self.previous_text.splitlines(), self.draft.text.splitlines(), lineterm="", n=0
            )
            if line[:1] in "+-" and line[:3] not in ("+++", "---")
        ]


def review_material(*, session: Session, draft_id: int) -> ReviewMaterial | None:
    found = _draft_and_slot(session, draft_id)
    if found is None:
        return None
    draft, slot = found
    assert slot.id is not None
    department = session.get(Department, slot.department_id)
    account = session.get(Account, slot.account_id) if slot.account_id else None
    earlier = [d for d in repo.versions(session, slot.id) if d.version < draft.version]
    checks = content_checks(
        session,
        Platform(slot.platform),
        DraftInput(text=draft.text, files=tuple(json.loads(draft.files or "[]")), link=draft.link),
        sponsored=draft.sponsored,
    )
    return ReviewMaterial(
        draft=draft,
        slot=slot,
        department=department.name if department else "?",
        review_channel=department.review_channel if department else "",
        account=account.handle if account else None,
        review=repo.review_of(session, slot.id),
        previous_text=earlier[-1].text if earlier else None,
        checks=checks,
        verdict=repo.verdict_on(session, draft_id),
        for_leader=_for_leader(session, slot),
        leader_step=session.get(LeaderApproval, draft_id),
    )


def replaced_versions(*, session: Session, draft_id: int) -> list[int]:
    """Earlier versions of this draft's post that were shown for review and never decided:
    the newer version replaces them, so their messages stop asking for a decision."""
    found = _draft_and_slot(session, draft_id)
    if found is None:
        return []
    draft, slot = found
    assert slot.id is not None
    return [
        d.id
        for d in repo.versions(session, slot.id)
        if d.id is not None
        and d.version < draft.version
        and d.review_ts
        and repo.verdict_on(session, d.id) is None
    ]


def remember_posted(
    *, session: Session, draft_id: int, channel: str, ts: str, now: datetime
) -> None:
    """The version's message is in the thread (the first one starts the thread)."""
    draft = session.get(Draft, draft_id)
    if draft is None:
        return
    draft.review_ts = ts
    draft.posted_at = now
    session.add(draft)
    if repo.review_of(session, draft.slot_id) is None:
        session.add(Review(slot_id=draft.slot_id, channel=channel, root_ts=ts, created_at=now))
    slot = session.get(Slot, draft.slot_id)
    if slot is not None and slot.status in (
        SlotStatus.DRAFTED.value,
        SlotStatus.LATE.value,
        SlotStatus.CHANGES_REQUESTED.value,
    ):
        slot.status = SlotStatus.IN_REVIEW.value
        session.add(slot)


def decide_publish(*, roles: Roles, author_id: str, department_id: int) -> ReviewDecision:
    """Marking a post published: its author, or whoever may review its department."""
    if roles.user_id == author_id or roles.reviews(department_id):
        return allow()
    return refuse(ReviewRefusal.NOT_PUBLISHER)


def may_publish(
    *, session: Session, directory: Directory, draft_id: int, by: str
) -> ReviewDecision:
    """Whether `by` may mark this draft's post published, asked before the form opens."""
    found = _draft_and_slot(session, draft_id)
    if found is None:
        return refuse(ReviewRefusal.NO_SUCH_DRAFT)
    draft, slot = found
    return decide_publish(
        roles=directory.roles(by), author_id=draft.author_id, department_id=slot.department_id
    )


def mark_published(
    *, session: Session, directory: Directory, draft_id: int, by: str, url: str, now: datetime
) -> ReviewDecision:
    decision = may_publish(session=session, directory=directory, draft_id=draft_id, by=by)
    found = _draft_and_slot(session, draft_id)
    if not decision.ok or found is None:
        return decision
    _, slot = found
    if slot.status != SlotStatus.APPROVED.value:  # approved means every step, a leader's too
        return refuse(ReviewRefusal.NOT_APPROVED)
    slot.status = SlotStatus.PUBLISHED.value
    slot.published_url = url[:500]
    session.add(slot)
    assert slot.id is not None
    slot_repo.add_event(
        session, slot_id=slot.id, at=now, kind="published", actor=by, detail=url[:400]
    )
    return decision


@dataclass(frozen=True)
class Waiting:
    """A version in review past its organisation's limit, and where its thread is."""

    slot_id: int
    department_id: int
    version: int
    channel: str
    root_ts: str


def waiting_too_long(
    *, session: Session, directory: Directory, now: datetime
) -> tuple[int, list[Waiting]]:
    """(the limit in working hours, the latest versions still undecided after it)."""
    org = org_repo.get_organisation(session)
    limit = org.review_nudge_hours if org else 24
    waiting = [
        Waiting(slot.id, slot.department_id, draft.version, review.channel, review.root_ts)
        for draft, review, slot in repo.awaiting_decision(session)
        if slot.id is not None
        and working_hours_between(draft.posted_at or draft.created_at, now, directory.timezone)
        >= limit
    ]
    return limit, waiting


def unposted_drafts(session: Session) -> list[int]:
    """Drafts waiting to be posted for review (Slack refused them earlier)."""
    return list(repo.unposted_drafts(session))
