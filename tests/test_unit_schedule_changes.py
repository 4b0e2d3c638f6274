"""The rules on changing the schedule from Slack, without Slack or a database."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.organisation.roles import Roles
from bot.schedule.changes import ChangeRefusal, FormProblem, decide_schedule_change, parse_due
from bot.schedule.status import SlotStatus

LEAD = Roles("U0LEAD", False, frozenset({1}), frozenset())
OVERALL = Roles("U0ALL", True, frozenset(), frozenset())
WRITER = Roles("U0WRITER", False, frozenset(), frozenset({1}))
BACKUP = Roles("U0BACK", False, frozenset(), frozenset(), frozenset({1}))


@pytest.mark.parametrize("roles", [LEAD, OVERALL])
def test_coordinators_and_overall_coordinators_change_a_departments_schedule(roles):
    assert decide_schedule_change(roles=roles, department_id=1).ok
    assert decide_schedule_change(roles=roles, department_id=1, status=SlotStatus.LATE).ok


@pytest.mark.parametrize(
    "roles", [WRITER, BACKUP, Roles("U0X", False, frozenset({2}), frozenset())]
)
def test_nobody_else_does(roles):
    decision = decide_schedule_change(roles=roles, department_id=1)
    assert decision.reason is ChangeRefusal.NOT_COORDINATOR


def test_a_missing_slot_and_a_finished_one_are_not_changed():
    assert decide_schedule_change(roles=OVERALL, department_id=None).reason is (
        ChangeRefusal.NO_SUCH_SLOT
    )
    for status in (SlotStatus.PUBLISHED, SlotStatus.CANCELLED):
        decision = decide_schedule_change(roles=LEAD, department_id=1, status=status)
        assert decision.reason is ChangeRefusal.CLOSED


LONDON = ZoneInfo("Europe/London")


def test_a_due_moment_is_read_in_the_organisations_timezone():
    assert parse_due("2027-07-01", "09:30", LONDON) == datetime(2027, 7, 1, 8, 30, tzinfo=UTC)
    assert parse_due("2027-13-01", "09:30", LONDON) is FormProblem.BAD_DATE
    assert parse_due("2027-07-01", "9.30", LONDON) is FormProblem.BAD_TIME
    assert parse_due("2027-07-01", "09:30:15", LONDON) is FormProblem.BAD_TIME
    # 01:30 on the day the clocks go forward does not exist in London.
    assert parse_due("2027-03-28", "01:30", LONDON) is FormProblem.BAD_TIME
