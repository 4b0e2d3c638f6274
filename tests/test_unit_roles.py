"""Who may see what: the pure decisions, with no Slack and no database."""

from __future__ import annotations

from bot.decisions import Decision
from bot.organisation.roles import (
    Membership,
    Refusal,
    Role,
    Roles,
    decide_view_department,
)

MARKETING, RESEARCH = 1, 2


def roles(*memberships: Membership) -> Roles:
    return Roles.from_memberships("U1", memberships)


def test_contributor_sees_only_their_department():
    contributor = roles(Membership(Role.CONTRIBUTOR, MARKETING))
    assert decide_view_department(contributor, MARKETING) == Decision(True)
    assert decide_view_department(contributor, RESEARCH) == Decision(
        False, Refusal.OTHER_DEPARTMENT
    )
    assert contributor.headline is Role.CONTRIBUTOR


def test_coordinator_sees_only_their_department():
    coordinator = roles(Membership(Role.COORDINATOR, RESEARCH))
    assert decide_view_department(coordinator, RESEARCH).ok
    assert not decide_view_department(coordinator, MARKETING).ok
    assert coordinator.headline is Role.COORDINATOR


def test_overall_coordinator_sees_everything():
    overall = roles(Membership(Role.OVERALL_COORDINATOR, None))
    assert decide_view_department(overall, MARKETING).ok
    assert decide_view_department(overall, RESEARCH).ok
    assert overall.departments == frozenset()


def test_stranger_sees_nothing():
    stranger = roles()
    assert not stranger.is_member
    assert decide_view_department(stranger, MARKETING) == Decision(False, Refusal.NOT_IN_PROGRAMME)
    assert stranger.headline is None


def test_most_senior_role_leads():
    both = roles(Membership(Role.CONTRIBUTOR, MARKETING), Membership(Role.COORDINATOR, RESEARCH))
    assert both.headline is Role.COORDINATOR
    assert both.departments == {MARKETING, RESEARCH}
