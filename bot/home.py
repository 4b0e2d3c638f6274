"""What a person's App Home shows, decided by their role."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.organisation.roles import Roles
from bot.organisation.service import roles_of
from bot.schedule.service import (
    DepartmentMonth,
    SlotView,
    month_overview,
    month_slots,
    upcoming_for_contributor,
)
from bot.schedule.timing import Month
from storage.repositories import organisation as org_repo

UPCOMING_WINDOW = timedelta(days=45)
UPCOMING_LIMIT = 15


@dataclass(frozen=True)
class HomeModel:
    roles: Roles
    org_loaded: bool
    month: Month | None = None
    upcoming: tuple[SlotView, ...] = ()
    my_departments: tuple[DepartmentMonth, ...] = ()
    my_department_slots: tuple[SlotView, ...] = ()
    all_departments: tuple[DepartmentMonth, ...] = ()
    contacts: tuple[str, ...] = ()


def home_for(*, session: Session, user_id: str, now: datetime) -> HomeModel:
    org = org_repo.get_organisation(session)
    roles = roles_of(session=session, user_id=user_id)
    if org is None:
        return HomeModel(roles=roles, org_loaded=False)
    tz = ZoneInfo(org.timezone)
    month = Month.containing(now, tz)
    contacts = tuple(org_repo.active_overall_coordinators(session))
    if not roles.is_member:
        return HomeModel(roles=roles, org_loaded=True, month=month, contacts=contacts)
    upcoming = upcoming_for_contributor(
        session=session, user_id=user_id, now=now, until=now + UPCOMING_WINDOW, limit=UPCOMING_LIMIT
    )
    coordinated = sorted(roles.coordinates)
    mine = (
        month_overview(session=session, department_ids=coordinated, month=month, tz=tz)
        if coordinated
        else []
    )
    mine_slots = (
        month_slots(session=session, department_ids=coordinated, month=month, tz=tz)
        if coordinated
        else []
    )
    everything = (
        month_overview(session=session, department_ids=None, month=month, tz=tz)
        if roles.overall
        else []
    )
    return HomeModel(
        roles=roles,
        org_loaded=True,
        month=month,
        upcoming=tuple(upcoming),
        my_departments=tuple(mine),
        my_department_slots=tuple(mine_slots),
        all_departments=tuple(everything),
        contacts=contacts,
    )
