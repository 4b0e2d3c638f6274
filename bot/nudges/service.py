"""Reminder settings as stored, and filing slots for the reminder job."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.nudges.plan import Cadence, first_candidate
from bot.organisation.directory import NoOrganisation
from storage.repositories import organisation as org_repo
from storage.repositories import slots as slot_repo


def cadences(session: Session) -> dict[int, Cadence]:
    """Each department's reminder cadence (its own days, or the organisation's)."""
    org = org_repo.get_organisation(session)
    if org is None:
        raise NoOrganisation()
    blackout = frozenset(org_repo.blackout_days(session))
    return {
        d.id: Cadence.parse(d.reminder_days or org.reminder_days, org.reminder_hour, blackout)
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
