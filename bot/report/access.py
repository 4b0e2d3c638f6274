"""Who may ask for the report on demand: a pure rule over plain values."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.organisation.roles import Roles


class ReportRefusal(StrEnum):
    NOT_ALLOWED = "not_allowed"
    OTHER_DEPARTMENT = "other_department"
    CHOOSE_DEPARTMENT = "choose_department"


@dataclass(frozen=True)
class ReportDecision:
    ok: bool
    reason: ReportRefusal | None = None
    department_id: int | None = None  # the department the report covers; None: everything


def decide_report(roles: Roles, *, leadership: bool, department_id: int | None) -> ReportDecision:
    """Overall coordinators and leadership: any report. A department's coordinators: their
    department's (the one they coordinate, when they name none and have only one)."""
    if roles.overall or leadership:
        return ReportDecision(True, department_id=department_id)
    if not roles.coordinates:
        return ReportDecision(False, ReportRefusal.NOT_ALLOWED)
    if department_id is None:
        if len(roles.coordinates) == 1:
            return ReportDecision(True, department_id=next(iter(roles.coordinates)))
        return ReportDecision(False, ReportRefusal.CHOOSE_DEPARTMENT)
    if department_id in roles.coordinates:
        return ReportDecision(True, department_id=department_id)
    return ReportDecision(False, ReportRefusal.OTHER_DEPARTMENT)
