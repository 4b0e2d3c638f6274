"""A slot's history as sentences; dates with their year when it isn't this one; restoring."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.drafts.service import Refusal, SlotFacts, decide_restore, restored_status
from bot.organisation.roles import Roles
from bot.schedule.history import HistoryEvent
from bot.schedule.status import SlotStatus
from bot.slack.views.common import day_heading, when
from bot.slack.views.history import describe, when_in_cadence

AT = datetime(2027, 2, 10, 9, 0, tzinfo=UTC)
LONDON = ZoneInfo("Europe/London")


def _said(kind: str, actor: str = "", detail: str = "") -> str:
    return describe(HistoryEvent(AT, kind, actor, detail))


@pytest.mark.parametrize(
    ("kind", "actor", "detail", "sentence"),
    [
        ("reminded", "U0BEN", "d2", "Reminder sent to <@U0BEN> (2 days before)"),
        (
            "not_reminded",
            "",
            "",
            "Not reminded: too close to the due time for a reminder in working hours",
        ),
        (
            "unreminded_reported",
            "U0MAYA",
            "too_late:ab12cd34ef:U0MAYA",
            "<@U0MAYA> told that no reminder could be sent in time",
        ),
        ("reminded", "U0BEN", "d1", "Reminder sent to <@U0BEN> (1 day before)"),
        ("reminded", "U0BEN", "d0", "Reminder sent to <@U0BEN> (on the due day)"),
        (
            "reminded",
            "U0BEN",
            "snooze@2027-02-12T09:00Z",
            "Reminder sent to <@U0BEN> (after a snooze)",
        ),
        (
            "reminded_again",
            "U0BEN",
            "again:U0MAYA:2027-02-17T13:00:00",
            "Reminder sent to <@U0BEN> (asked again by <@U0MAYA>)",
        ),
        (
            "assigned",
            "U0BEN",
            "assigned:U0MAYA:2027-02-17T13:00:00",
            "Reminder sent to <@U0BEN> (on being assigned by <@U0MAYA>)",
        ),
        (
            "reminded_failed",
            "U0BEN",
            "user_not_found",
            "Reminder to <@U0BEN> could not be sent (user_not_found)",
        ),
        ("escalated", "U0MAYA", "late:U0MAYA", "Escalated to <@U0MAYA>"),
        (
            "escalated_overall",
            "U0BOSS",
            "late-week:2027-W07:U0BOSS",
            "Escalated to <@U0BOSS> in the weekly report of late posts",
        ),
        ("review_nudged", "U0MAYA", "review-wait:v1", "Review reminder sent to <@U0MAYA>"),
        ("feedback_sent", "U0BEN", "feedback:2027-02-11T10:00:00", "Feedback sent to <@U0BEN>"),
        ("drafted", "U0BEN", "v2 (thread)", "Draft v2 submitted by <@U0BEN>"),
        ("approved", "U0MAYA", "v2 ", "Approved by <@U0MAYA> (v2)"),
        (
            "changes_requested",
            "U0MAYA",
            "v1 Add the date",
            "Changes asked for by <@U0MAYA> (v1): Add the date",
        ),
        (
            "rejected",
            "U0MAYA",
            "v1 <!channel> no",
            "Rejected by <@U0MAYA> (v1): &lt;!channel&gt; no",
        ),
        ("leader_approved", "U0BOSS", "", "Approved for the leader's account by <@U0BOSS>"),
        (
            "reassigned",
            "U0MAYA",
            "U0BEN → U0ALICE",
            "Reassigned from <@U0BEN> to <@U0ALICE> by <@U0MAYA>",
        ),
        (
            "reassigned",
            "",
            "U0BEN → U0ALICE by t.csv row 3",
            "Reassigned from <@U0BEN> to <@U0ALICE> by t.csv row 3",
        ),
        ("imported", "", "t.csv row 3", "Imported from t.csv row 3"),
        ("generated", "", "rule 4", "Planned by a recurring rule"),
        ("ad_hoc", "U0BEN", "", "Added as a new post by <@U0BEN>"),
        ("snoozed", "U0BEN", "3 day(s)", "Snoozed by <@U0BEN> for 3 days"),
        ("snoozed", "U0BEN", "1 day(s)", "Snoozed by <@U0BEN> for 1 day"),
        ("handed_back", "U0BEN", "Ill <@U1>", "Handed back by <@U0BEN>: Ill &lt;@U1&gt;"),
        ("cancelled", "U0MAYA", "planned", "Cancelled by <@U0MAYA>"),
        ("restored", "U0MAYA", "", "Restored by <@U0MAYA>"),
        ("late", "", "", "Went late: no draft by the due time"),
        ("late_unapproved", "", "", "Went late: not approved by the due time"),
        (
            "published",
            "U0BEN",
            "https://x.example/1",
            "Marked published by <@U0BEN>: https://x.example/1",
        ),
        ("something_new", "U0BEN", "", "Something new by <@U0BEN>"),
    ],
)
def test_events_read_as_sentences(kind: str, actor: str, detail: str, sentence: str):
    assert _said(kind, actor, detail) == sentence


def test_internal_keys_never_show():
    for stage in ("d7", "late:U0MAYA", "review-wait:v1", "late-week:2027-W07:U0BOSS"):
        for kind in ("reminded", "escalated", "escalated_overall", "review_nudged"):
            said = _said(kind, "U0MAYA", stage)
            assert stage not in said and "_" not in said


def test_an_actor_that_is_not_a_user_is_inert():
    assert _said("cancelled", "<!here>") == "Cancelled by &lt;!here&gt;"


def test_unknown_stages_say_nothing_extra():
    assert when_in_cadence("whatever:1") == ""
    assert _said("reminded", "U0BEN", "whatever") == "Reminder sent to <@U0BEN>"


# --- the year --------------------------------------------------------------------------------


def test_dates_show_the_year_only_when_it_is_not_this_one():
    moment = datetime(2027, 2, 17, 13, 0, tzinfo=UTC)
    assert when(moment, LONDON, None) == "Wed 17 Feb, 13:00"
    assert when(moment, LONDON, datetime(2027, 12, 31, 12, tzinfo=UTC)) == "Wed 17 Feb, 13:00"
    assert when(moment, LONDON, datetime(2026, 12, 2, 12, tzinfo=UTC)) == "Wed 17 Feb 2027, 13:00"
    assert day_heading(moment, LONDON, datetime(2028, 1, 1, 12, tzinfo=UTC)) == (
        "Wednesday 17 February 2027"
    )


def test_the_year_is_the_readers():
    # 31 Dec 23:30 UTC is already next year in Auckland, for the moment and for now alike.
    moment = datetime(2027, 12, 31, 23, 30, tzinfo=UTC)
    auckland = ZoneInfo("Pacific/Auckland")
    assert when(moment, auckland, moment) == "Sat 1 Jan, 12:30"
    assert when(moment, auckland, datetime(2027, 12, 31, 9, tzinfo=UTC)) == "Sat 1 Jan 2028, 12:30"


# --- restoring -------------------------------------------------------------------------------


def _roles(*, overall: bool = False, coordinates: int = 0, contributes: int = 0) -> Roles:
    return Roles(
        user_id="U0SOMEONE",
        overall=overall,
        coordinates=frozenset({coordinates} - {0}),
        contributes=frozenset({contributes} - {0}),
    )


COORDINATOR = _roles(coordinates=1)
OTHER = _roles(coordinates=2)
OVERALL = _roles(overall=True)
CONTRIBUTOR = _roles(contributes=1)


def _facts(status: SlotStatus) -> SlotFacts:
    return SlotFacts("U0BEN", 1, status)


@pytest.mark.parametrize(
    ("roles", "facts", "reason"),
    [
        (COORDINATOR, _facts(SlotStatus.CANCELLED), None),
        (OVERALL, _facts(SlotStatus.CANCELLED), None),
        (OTHER, _facts(SlotStatus.CANCELLED), Refusal.NOT_COORDINATOR),
        (CONTRIBUTOR, _facts(SlotStatus.CANCELLED), Refusal.NOT_COORDINATOR),
        (COORDINATOR, _facts(SlotStatus.PLANNED), Refusal.NOT_CANCELLED),
        (COORDINATOR, None, Refusal.NO_SUCH_SLOT),
    ],
)
def test_who_may_restore_what(roles: Roles, facts: SlotFacts | None, reason: Refusal | None):
    decision = decide_restore(roles=roles, slot=facts)
    assert decision.ok is (reason is None) and decision.reason == reason


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("in_review", SlotStatus.IN_REVIEW),
        ("late", SlotStatus.LATE),
        ("planned", SlotStatus.PLANNED),
        ("cancelled", SlotStatus.PLANNED),
        ("published", SlotStatus.PLANNED),
        ("", SlotStatus.PLANNED),  # cancelled before the status was recorded
        (None, SlotStatus.PLANNED),
        ("nonsense", SlotStatus.PLANNED),
    ],
)
def test_a_restored_slot_goes_back_to_what_it_was(before: str | None, after: SlotStatus):
    assert restored_status(before) is after
