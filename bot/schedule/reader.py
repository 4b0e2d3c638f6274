"""What a person asking for the schedule gets to see: the rules behind `/social schedule`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.organisation.roles import Refusal, Roles, decide_view_department
from bot.organisation.service import roles_of
from bot.schedule.service import (
    DepartmentMonth,
    SlotView,
    month_slots,
    organisation_timezone,
    summarise,
)
from bot.schedule.timing import Month
from storage.repositories import organisation as org_repo


class ScheduleRefusal(StrEnum):
    NOT_IN_PROGRAMME = Refusal.NOT_IN_PROGRAMME.value
    OTHER_DEPARTMENT = Refusal.OTHER_DEPARTMENT.value
    UNKNOWN_DEPARTMENT = "unknown_department"


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
    reason: ScheduleRefusal
    department: str = ""
    known: tuple[str, ...] = ()
    contacts: tuple[str, ...] = ()


def schedule_for(
    *, session: Session, user_id: str, query: ScheduleQuery, now: datetime
) -> ScheduleAnswer | ScheduleRefused:
    tz = organisation_timezone(session)
    month = query.month or Month.containing(now, tz)
    roles = roles_of(session=session, user_id=user_id)
    if not roles.is_member:
        return ScheduleRefused(
            ScheduleRefusal.NOT_IN_PROGRAMME,
            contacts=tuple(org_repo.active_overall_coordinators(session)),
        )
    active = {d.id: d.name for d in org_repo.active_departments(session) if d.id is not None}
    if query.department is None:
        ids = _default_departments(roles, active)
    else:
        department = org_repo.department_by_name(session, query.department)
        if department is None or department.id not in active:
            visible = (
                active
                if roles.overall
                else {i: active[i] for i in roles.departments if i in active}
            )
            return ScheduleRefused(
                ScheduleRefusal.UNKNOWN_DEPARTMENT,
                department=query.department,
                known=tuple(sorted(visible.values())),
            )
        assert department.id is not None
        decision = decide_view_department(roles, department.id)
        if not decision.allowed:
            return ScheduleRefused(
                ScheduleRefusal(decision.reason),
                department=department.name,
                known=tuple(sorted(active[i] for i in roles.departments if i in active)),
            )
        ids = [department.id]
    slots = month_slots(session=session, department_ids=ids, month=month, tz=tz)
    return ScheduleAnswer(
        month=month,
        org_timezone=tz,
        departments=[active[i] for i in ids],
        slots=slots,
        overview=summarise(slots, {i: active[i] for i in ids}),
    )


def _default_departments(roles: Roles, active: dict[int, str]) -> list[int]:
    """The reader's own departments; an overall coordinator with none of their own sees all."""
    own = sorted((i for i in roles.departments if i in active), key=lambda i: active[i])
    if own:
        return own
    return sorted(active, key=lambda i: active[i]) if roles.overall else []
