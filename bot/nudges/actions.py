"""What contributors and coordinators do with a reminder: snooze, hand back, reassign, cancel."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.decisions import Decision, allow, refuse
from bot.drafts.service import (
    Refusal,
    SlotFacts,
    decide_contributor_action,
    decide_coordinator_action,
    decide_restore,
    restored_status,
)
from bot.nudges.plan import Cadence, snooze_until
from bot.nudges.service import cadences, file_for_reminders
from bot.organisation.directory import Directory
from bot.schedule.status import SlotStatus
from storage.models import Slot
from storage.repositories import slots as slot_repo


@dataclass(frozen=True)
class Done:
    slot_id: int
    department_id: int
    until: datetime | None = None


def decide_snooze(*, until: datetime, due_at: datetime, cadence: Cadence) -> Decision[Refusal]:
    """A snooze may not put the next reminder inside the lead time before the due time."""
    return allow() if cadence.in_time(until, due_at) else refuse(Refusal.SNOOZE_TOO_LONG)


def _slot_for(
    session: Session, slot_id: int, decide: Callable[..., Decision[Refusal]]
) -> Slot | Decision[Refusal]:
    """The slot, locked for this transaction, if the rule allows the action on it."""
    slot = session.get(Slot, slot_id, with_for_update=True)
    decision = decide(slot=SlotFacts.of(slot))
    if not decision.ok or slot is None or slot.id is None:
        return decision
    return slot


def _as_coordinator(directory: Directory, by: str) -> Callable[..., Decision[Refusal]]:
    return partial(decide_coordinator_action, roles=directory.roles(by))


def snooze(
    *, session: Session, slot_id: int, user_id: str, days: int, tz: ZoneInfo, now: datetime
) -> Done | Decision[Refusal]:
    slot = _slot_for(session, slot_id, partial(decide_contributor_action, user_id=user_id))
    if isinstance(slot, Decision):
        return slot
    assert slot.id is not None
    cadence = cadences(session)[slot.department_id]
    until = snooze_until(now, days, tz, cadence)
    allowed = decide_snooze(until=until, due_at=slot.due_at, cadence=cadence)
    if not allowed.ok:
        return allowed
    slot.snoozed_until = until
    slot.next_nudge_at = until
    session.add(slot)
    slot_repo.add_event(
        session, slot_id=slot.id, at=now, kind="snoozed", actor=user_id, detail=f"{days} day(s)"
    )
    return Done(slot.id, slot.department_id, until)


def hand_back(
    *, session: Session, slot_id: int, user_id: str, reason: str, now: datetime
) -> Done | Decision[Refusal]:
    slot = _slot_for(session, slot_id, partial(decide_contributor_action, user_id=user_id))
    if isinstance(slot, Decision):
        return slot
    assert slot.id is not None
    slot.status = SlotStatus.HANDED_BACK.value
    slot.next_nudge_at = None
    session.add(slot)
    slot_repo.add_event(
        session, slot_id=slot.id, at=now, kind="handed_back", actor=user_id, detail=reason
    )
    return Done(slot.id, slot.department_id)


def reassign(
    *, session: Session, directory: Directory, slot_id: int, by: str, to: str, now: datetime
) -> Done | Decision[Refusal]:
    slot = _slot_for(
        session, slot_id, partial(decide_coordinator_action, roles=directory.roles(by))
    )
    if isinstance(slot, Decision):
        return slot
    assert slot.id is not None
    if slot.department_id not in directory.roles(to).departments:
        return refuse(Refusal.NOT_IN_DEPARTMENT)
    previous = slot.contributor_id
    slot.contributor_id = to
    slot.snoozed_until = None
    if SlotStatus(slot.status) in {SlotStatus.HANDED_BACK, SlotStatus.LATE}:
        slot.status = SlotStatus.PLANNED.value
    slot.updated_at = now
    session.add(slot)
    session.flush()
    file_for_reminders(session, [slot.id])
    slot_repo.add_event(
        session, slot_id=slot.id, at=now, kind="reassigned", actor=by, detail=f"{previous} → {to}"
    )
    return Done(slot.id, slot.department_id)


def cancel(
    *, session: Session, directory: Directory, slot_id: int, by: str, now: datetime
) -> Done | Decision[Refusal]:
    slot = _slot_for(
        session, slot_id, partial(decide_coordinator_action, roles=directory.roles(by))
    )
    if isinstance(slot, Decision):
        return slot
    assert slot.id is not None
    before = slot.status
    slot.status = SlotStatus.CANCELLED.value
    slot.next_nudge_at = None
    session.add(slot)
    # The status it had is kept with the event: restoring puts it back.
    slot_repo.add_event(session, slot_id=slot.id, at=now, kind="cancelled", actor=by, detail=before)
    return Done(slot.id, slot.department_id)


def restore(
    *, session: Session, directory: Directory, slot_id: int, by: str, now: datetime
) -> Done | Decision[Refusal]:
    """A cancelled slot back to what it was, with its reminders planned again."""
    slot = _slot_for(session, slot_id, partial(decide_restore, roles=directory.roles(by)))
    if isinstance(slot, Decision):
        return slot
    assert slot.id is not None
    cancelled = slot_repo.last_event(session, slot.id, "cancelled")
    slot.status = restored_status(cancelled.detail if cancelled else None).value
    slot.updated_at = now
    session.add(slot)
    session.flush()
    file_for_reminders(session, [slot.id])
    slot_repo.add_event(session, slot_id=slot.id, at=now, kind="restored", actor=by)
    return Done(slot.id, slot.department_id)


@dataclass(frozen=True)
class Target:
    slot_id: int
    contributor_id: str


def remind_target(
    *, session: Session, directory: Directory, slot_id: int | None, by: str
) -> Target | Decision[Refusal]:
    """Whom a coordinator's Remind again reaches: the slot's contributor, if `by` may ask."""
    slot = session.get(Slot, slot_id or 0)
    decision = decide_coordinator_action(roles=directory.roles(by), slot=SlotFacts.of(slot))
    if not decision.ok or slot is None or slot.id is None:
        return decision
    return Target(slot.id, slot.contributor_id)
