"""What a person asking for the schedule gets to see: the rules behind `/social schedule`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.organisation.directory import Directory
from bot.organisation.roles import Refusal, Roles, decide_view_department
from bot.schedule.service import DepartmentMonth, SlotView, month_slots, summarise
from bot.schedule.timing import Month


@dataclass(frozen=True)
class ScheduleQuery:
    department: str | None
    month: Month | None


@dataclass(frozen=True)
class ScheduleAnswer:
    month: Month
    org_timezone: ZoneInfo
    departments: list[str]
    slots: list[SlotView]
    overview: list[DepartmentMonth]


@dataclass(frozen=True)
class ScheduleRefused:
    reason: Refusal
    department: str = ""
    known: tuple[str, ...] = ()
    contacts: tuple[str, ...] = ()


def schedule_for(
    *, session: Session, directory: Directory, user_id: str, query: ScheduleQuery, now: datetime
) -> ScheduleAnswer | ScheduleRefused:
    tz = directory.timezone
    month = query.month or Month.containing(now, tz)
    roles = directory.roles(user_id)
    if not roles.is_member:
        return ScheduleRefused(Refusal.NOT_IN_PROGRAMME, contacts=directory.overall_coordinators)
    names = directory.departments
    own = tuple(names[i] for i in directory.sorted_ids(roles.departments))
    if query.department is None:
        ids = _default_departments(roles, directory)
    else:
        department_id = directory.department_named(query.department)
        if department_id is None:
            visible = tuple(names[i] for i in directory.sorted_ids()) if roles.overall else own
            return ScheduleRefused(
                Refusal.UNKNOWN_DEPARTMENT, department=query.department, known=visible
            )
        decision = decide_view_department(roles, department_id)
        if not decision.ok and decision.reason is not None:
            return ScheduleRefused(decision.reason, department=names[department_id], known=own)
        ids = [department_id]
    slots = month_slots(session=session, department_ids=ids, month=month, tz=tz)
    return ScheduleAnswer(
        month=month,
        org_timezone=tz,
        departments=[names[i] for i in ids],
        slots=slots,
        overview=summarise(slots, {i: names[i] for i in ids}),
    )


def _default_departments(roles: Roles, directory: Directory) -> list[int]:
    """The reader's own departments; an overall coordinator with none of their own sees all."""
    own = directory.sorted_ids(roles.departments)
    if own or not roles.overall:
        return own
    return directory.sorted_ids()
