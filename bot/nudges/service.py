"""Reminder settings as stored, filing slots for the reminder job, and what the reminder and
escalation flows read and write about slots."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlmodel import Session

from bot.nudges.plan import ANY_ZONE_REACHABLE, Cadence, first_candidate, first_reminder
from bot.organisation.missing import NoOrganisation
from storage.repositories import nudges as repo
from storage.repositories import organisation as org_repo
from storage.repositories import outbox as outbox_repo
from storage.repositories import people as people_repo
from storage.repositories import slots as slot_repo


def cadences(session: Session) -> dict[int, Cadence]:
    """Each department's reminder cadence (its own days, or the organisation's)."""
    org = org_repo.get_organisation(session)
    if org is None:
        raise NoOrganisation()
    blackout = frozenset(org_repo.blackout_days(session))
    lead = timedelta(hours=org.reminder_min_lead_hours)
    return {
        d.id: Cadence.parse(d.reminder_days or org.reminder_days, org.reminder_hour, blackout, lead)
        for d in org_repo.all_departments(session)
        if d.id is not None
    }


def file_for_reminders(session: Session, slot_ids: Iterable[int] | None = None) -> int:
    """Set when the reminder job should first look at open slots (all when slot_ids is None).
    Returns how many were filed."""
    org = org_repo.get_organisation(session)
    if org is None:
        raise NoOrganisation()
    tz = ZoneInfo(org.timezone)
    plans = cadences(session)
    moments: dict[int, datetime | None] = {}
    for slot_id, department_id, due_at in slot_repo.open_slots(session, slot_ids):
        moments[slot_id] = first_candidate(due_at, tz, plans[department_id])
    slot_repo.set_next_nudge(session, moments)
    return len(moments)


@dataclass(frozen=True)
class Candidate:
    """A slot whose next reminder may have come, with what planning it needs."""

    slot_id: int
    department_id: int
    due_at: datetime
    contributor_id: str
    snoozed_until: datetime | None
    next_nudge_at: datetime  # as read: the compare-and-set that moves it on checks this


def reminder_candidates(session: Session, *, now: datetime, limit: int) -> list[Candidate]:
    return [Candidate(*row) for row in repo.reminder_candidates(session, now=now, limit=limit)]


def stages_done(session: Session, slot_ids: Iterable[int]) -> dict[int, set[str]]:
    """What each slot was already told (or deliberately skipped), by stage."""
    return repo.stages_done(session, slot_ids)


def move_on(
    session: Session,
    moments: dict[int, tuple[datetime, datetime | None]],
    skipped: dict[int, tuple[str, ...]],
    now: datetime,
) -> None:
    """Write each slot's next reminder moment (compare-and-set on the one read), and the stages
    superseded without being sent."""
    slot_repo.advance_next_nudge(session, moments)
    repo.record_skipped(session, skipped, now)


@dataclass(frozen=True)
class Overdue:
    slots: list[tuple[int, int]]  # (slot id, department id) past due without a draft
    newly_late: list[int]


def mark_overdue(session: Session, now: datetime) -> Overdue:
    """Posts past due with no draft go late; drafts still unapproved at the due time are
    flagged. Each is recorded in the slot's history once."""
    overdue = [(s, d) for s, d in repo.overdue_without_draft(session, now=now)]
    newly = repo.mark_late(session, [slot_id for slot_id, _ in overdue])
    for slot_id in newly:
        slot_repo.add_event(session, slot_id=slot_id, at=now, kind="late")
    for slot_id in repo.flag_unapproved_past_due(session, now=now):
        slot_repo.add_event(session, slot_id=slot_id, at=now, kind="late_unapproved")
    return Overdue(overdue, newly)


def long_late(session: Session, now: datetime) -> tuple[int, list[int]]:
    """(escalate_after_days, the slots late at least that long)."""
    org = org_repo.get_organisation(session)
    if org is None:
        raise NoOrganisation()
    days = org.escalate_after_days
    late = repo.late_since(session, before=now - timedelta(days=days))
    return days, [slot_id for slot_id, _ in late]


@dataclass(frozen=True)
class Unreminded:
    """A slot too close to its due time for any reminder to reach its contributor."""

    slot_id: int
    department_id: int
    due_at: datetime
    contributor_id: str


def slots_waiting_for_first_reminder(
    session: Session, slot_ids: Iterable[int], now: datetime
) -> list[Unreminded]:
    """Those of these slots still waiting for their first reminder."""
    return [Unreminded(*r) for r in repo.never_reminded(session, list(slot_ids), now=now)]


def unreachable(
    session: Session,
    waiting: Iterable[Unreminded],
    *,
    now: datetime,
    zone_of: Callable[[str], ZoneInfo],
) -> list[Unreminded]:
    """Of these never-reminded slots, those no reminder can reach in time: in their
    contributor's waking hours with the lead time to spare, as the reminder job plans."""
    plans = cadences(session)
    return [
        w
        for w in waiting
        if first_reminder(
            due_at=w.due_at, tz=zone_of(w.contributor_id), cadence=plans[w.department_id], now=now
        )
        is None
    ]


def remembered_timezones(session: Session, user_ids: Iterable[str]) -> dict[str, ZoneInfo]:
    """Each person's timezone as last read from Slack (however old), for work done without
    Slack at hand (the command line); people never seen are left out."""
    found: dict[str, ZoneInfo] = {}
    for row in people_repo.get_many(session, set(user_ids)):
        if not row.tz:
            continue
        try:
            found[row.user_id] = ZoneInfo(row.tz)
        except (ZoneInfoNotFoundError, ValueError):
            continue
    return found


def record_not_reminded(session: Session, slot_ids: Iterable[int], now: datetime) -> list[int]:
    """Note in each slot's history that no reminder could reach its contributor: once, and
    again after it is moved or reassigned. Returns the slots noted now."""
    wanted = list(slot_ids)
    noted = sorted(set(wanted) - slot_repo.noted_not_reminded(session, wanted))
    for slot_id in noted:
        slot_repo.add_event(session, slot_id=slot_id, at=now, kind="not_reminded")
    return noted


def unreachable_as_remembered(
    session: Session, slot_ids: Iterable[int], now: datetime
) -> tuple[list[Unreminded], set[str]]:
    """`unreachable` with each contributor's timezone as last read from Slack, for when Slack
    can't be asked; and the contributors never seen there, taken to be in the organisation's
    timezone."""
    org = org_repo.get_organisation(session)
    if org is None:
        raise NoOrganisation()
    waiting = slots_waiting_for_first_reminder(session, slot_ids, now)
    wanted = {w.contributor_id for w in waiting}
    zones = remembered_timezones(session, wanted)
    fallback = ZoneInfo(org.timezone)
    hopeless = unreachable(session, waiting, now=now, zone_of=lambda u: zones.get(u, fallback))
    return hopeless, wanted - zones.keys()


def soon_enough_to_matter(session: Session, slot_ids: Iterable[int], now: datetime) -> bool:
    """Whether any of these slots, not yet reminded, is due so soon that a reminder might not
    reach its contributor in time in some timezone: further ahead, a stage or a catch-up in
    anyone's waking hours always leaves the lead time."""
    waiting = slots_waiting_for_first_reminder(session, slot_ids, now)
    return any(w.due_at - now < ANY_ZONE_REACHABLE for w in waiting)


def not_yet_told(session: Session, items: Iterable[tuple[int, str]]) -> list[tuple[int, str]]:
    """The (slot id, stage) of these that were never told (claimed, sent or failed)."""
    wanted = list(items)
    told = outbox_repo.told(session, subject=outbox_repo.SLOT, items=wanted)
    return [item for item in wanted if item not in told]
