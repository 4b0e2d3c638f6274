"""Every decide_… rule and who reviews now, over plain values: no Slack, no database."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from bot.decisions import Decision
from bot.drafts.service import (
    MAX_DRAFT,
    Refusal,
    SlotFacts,
    check_text,
    decide_contributor_action,
    decide_coordinator_action,
)
from bot.organisation.directory import Directory
from bot.organisation.roles import Membership, Role, Roles
from bot.review.service import (
    Decided,
    ReviewRefusal,
    decide_leader_step,
    decide_publish,
    decide_review,
)
from bot.review.waiting import reviewers
from bot.schedule.status import SlotStatus

MKT, RES = 1, 2
ALICE = Roles("U0ALICE", overall=False, coordinates=frozenset(), contributes=frozenset({MKT}))
LEAD = Roles("U0LEAD", overall=False, coordinates=frozenset({MKT}), contributes=frozenset())
DEPUTY = Roles(
    "U0DEPUTY",
    overall=False,
    coordinates=frozenset(),
    contributes=frozenset(),
    backs_up=frozenset({MKT}),
)
OTHER_LEAD = Roles(
    "U0RESLEAD", overall=False, coordinates=frozenset({RES}), contributes=frozenset()
)
OLIVIA = Roles("U0OLIVIA", overall=True, coordinates=frozenset(), contributes=frozenset())
STRANGER = Roles("U0SAM", overall=False, coordinates=frozenset(), contributes=frozenset())


def _slot(status: SlotStatus = SlotStatus.PLANNED, contributor: str = "U0ALICE") -> SlotFacts:
    return SlotFacts(contributor_id=contributor, department_id=MKT, status=status)


# --- acting on a slot ---------------------------------------------------------------------------


def test_only_the_contributor_acts_on_their_open_slot():
    assert decide_contributor_action(user_id="U0ALICE", slot=_slot()) == Decision(True)
    assert decide_contributor_action(user_id="U0BOB", slot=_slot()).reason is Refusal.NOT_YOURS
    assert decide_contributor_action(user_id="U0ALICE", slot=None).reason is Refusal.NO_SUCH_SLOT


@pytest.mark.parametrize(
    "status", [SlotStatus.PUBLISHED, SlotStatus.CANCELLED, SlotStatus.HANDED_BACK]
)
def test_a_closed_slot_takes_no_contributor_action(status: SlotStatus):
    decision = decide_contributor_action(user_id="U0ALICE", slot=_slot(status))
    assert decision == Decision(False, Refusal.NOT_OPEN)


@pytest.mark.parametrize(
    ("roles", "ok"),
    [(LEAD, True), (OLIVIA, True), (OTHER_LEAD, False), (ALICE, False), (STRANGER, False)],
)
def test_coordinator_actions_are_for_the_department_and_overall(roles: Roles, ok: bool):
    decision = decide_coordinator_action(roles=roles, slot=_slot())
    assert decision.ok is ok
    assert decision.reason is (None if ok else Refusal.NOT_COORDINATOR)


def test_no_coordinator_action_on_a_published_or_missing_slot():
    published = decide_coordinator_action(roles=LEAD, slot=_slot(SlotStatus.PUBLISHED))
    assert published.reason is Refusal.NOT_OPEN
    assert decide_coordinator_action(roles=LEAD, slot=None).reason is Refusal.NO_SUCH_SLOT


def test_draft_text_must_be_there_and_not_too_long():
    assert check_text("Hello").ok
    assert check_text("  \n").reason is Refusal.EMPTY
    assert check_text("x" * (MAX_DRAFT + 1)).reason is Refusal.TOO_LONG


# --- review -------------------------------------------------------------------------------------


def _review(roles: Roles, **overrides: object) -> Decision[ReviewRefusal]:
    args: dict[str, object] = {
        "roles": roles,
        "author_id": "U0ALICE",
        "department_id": MKT,
        "version": 2,
        "latest_version": 2,
        "existing": None,
        "in_review": True,
    }
    args.update(overrides)
    return decide_review(**args)


@pytest.mark.parametrize(
    ("roles", "ok"),
    [(LEAD, True), (DEPUTY, True), (OLIVIA, True), (OTHER_LEAD, False), (ALICE, False)],
)
def test_department_coordinators_backups_and_overall_review(roles: Roles, ok: bool):
    decision = _review(roles)
    assert decision.ok is ok
    assert decision.reason is (None if ok else ReviewRefusal.NOT_REVIEWER)


def test_nobody_reviews_their_own_draft():
    assert _review(LEAD, author_id="U0LEAD").reason is ReviewRefusal.OWN_DRAFT


def test_an_old_version_points_to_the_latest():
    assert _review(LEAD, version=1) == Decision(False, ReviewRefusal.OLD_VERSION, ("2",))


def test_the_second_decider_hears_who_was_first():
    first = Decided("U0OLIVIA", "approved")
    assert _review(LEAD, existing=first) == Decision(
        False, ReviewRefusal.ALREADY_DECIDED, ("U0OLIVIA", "approved")
    )


def test_a_post_out_of_review_is_not_decided():
    assert _review(LEAD, in_review=False).reason is ReviewRefusal.NOT_IN_REVIEW


def _leader(roles: Roles, **overrides: object) -> Decision[ReviewRefusal]:
    args: dict[str, object] = {
        "roles": roles,
        "author_id": "U0ALICE",
        "department_verdict": Decided("U0LEAD", "approved"),
        "existing": None,
        "version": 1,
        "latest_version": 1,
        "in_review": True,
    }
    args.update(overrides)
    return decide_leader_step(**args)


def test_the_leader_step_is_for_overall_coordinators_after_the_department():
    assert _leader(OLIVIA).ok
    assert _leader(LEAD).reason is ReviewRefusal.NOT_OVERALL
    assert _leader(OLIVIA, department_verdict=None).reason is ReviewRefusal.NOT_YET
    changes = Decided("U0LEAD", "changes_requested")
    assert _leader(OLIVIA, department_verdict=changes).reason is ReviewRefusal.NOT_YET
    assert _leader(OLIVIA, author_id="U0OLIVIA").reason is ReviewRefusal.OWN_DRAFT
    assert _leader(OLIVIA, version=1, latest_version=2).reason is ReviewRefusal.OLD_VERSION
    assert _leader(OLIVIA, in_review=False).reason is ReviewRefusal.NOT_IN_REVIEW
    already = _leader(OLIVIA, existing=Decided("U0OTHER", "rejected"))
    assert already.details == ("U0OTHER", "rejected")


@pytest.mark.parametrize(
    ("roles", "ok"),
    [(ALICE, True), (LEAD, True), (DEPUTY, True), (OLIVIA, True), (OTHER_LEAD, False)],
)
def test_the_author_or_a_reviewer_marks_published(roles: Roles, ok: bool):
    decision = decide_publish(roles=roles, author_id="U0ALICE", department_id=MKT)
    assert decision.ok is ok
    assert decision.reason is (None if ok else ReviewRefusal.NOT_PUBLISHER)


# --- who reviews now ----------------------------------------------------------------------------


def _directory() -> Directory:
    return Directory(
        revision=1,
        timezone=ZoneInfo("Europe/London"),
        leadership_channel="C0LEADERS",
        default_due_hour=12,
        departments={MKT: "Marketing", RES: "Research"},
        overall_coordinators=("U0OLIVIA",),
        memberships={
            "U0LEAD": (Membership(Role.COORDINATOR, MKT),),
            "U0LEAD2": (Membership(Role.COORDINATOR, MKT),),
            "U0DEPUTY": (Membership(Role.BACKUP, MKT),),
            "U0OLIVIA": (Membership(Role.OVERALL_COORDINATOR, None),),
        },
    )


def test_present_coordinators_review_first():
    assert reviewers(_directory(), MKT, away=set()) == ("U0LEAD", "U0LEAD2")
    assert reviewers(_directory(), MKT, away={"U0LEAD"}) == ("U0LEAD2",)


def test_backups_stand_in_when_every_coordinator_is_away():
    assert reviewers(_directory(), MKT, away={"U0LEAD", "U0LEAD2"}) == ("U0DEPUTY",)


def test_overall_coordinators_when_the_department_has_nobody_present():
    everyone_away = {"U0LEAD", "U0LEAD2", "U0DEPUTY"}
    assert reviewers(_directory(), MKT, away=everyone_away) == ("U0OLIVIA",)
    assert reviewers(_directory(), RES, away=set()) == ("U0OLIVIA",)
    assert reviewers(_directory(), MKT, away=everyone_away | {"U0OLIVIA"}) == ("U0OLIVIA",)
