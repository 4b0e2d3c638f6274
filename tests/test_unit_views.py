"""Block Kit stays inside Slack's limits however big the month is."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.home import HomeModel
from bot.organisation.platforms import Platform
from bot.organisation.roles import Roles
from bot.schedule.reader import ScheduleAnswer
from bot.schedule.service import DepartmentMonth, SlotView
from bot.schedule.status import SlotStatus
from bot.schedule.timing import Month
from bot.slack.views.home import home_view
from bot.slack.views.schedule import schedule_message

LONDON = ZoneInfo("Europe/London")


def _slots(n: int, departments: int) -> list[SlotView]:
    start = datetime(2027, 1, 1, 9, tzinfo=UTC)
    return [
        SlotView(
            id=i,
            department=f"Department {i % departments:02d}",
            due_at=start + timedelta(minutes=20 * i),
            platform=Platform.LINKEDIN,
            account="acme-" + "x" * 40,
            topic=f"A fairly long topic about something important, number {i}",
            contributor_id=f"U{i:08d}",
            status=SlotStatus.PLANNED,
        )
        for i in range(n)
    ]


def _overview(departments: int) -> list[DepartmentMonth]:
    return [
        DepartmentMonth(i, f"Department {i:02d}", {SlotStatus.PLANNED: 90, SlotStatus.LATE: 10})
        for i in range(departments)
    ]


def _assert_within_limits(blocks: list[dict], max_blocks: int) -> None:
    assert len(blocks) <= max_blocks
    for block in blocks:
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= 3000
        if block["type"] == "header":
            assert len(block["text"]["text"]) <= 150


def test_a_huge_month_fits_one_message_and_says_what_it_left_out():
    answer = ScheduleAnswer(
        month=Month(2027, 1),
        org_timezone=LONDON,
        departments=[f"Department {i:02d}" for i in range(200)],
        slots=_slots(2000, 200),
        overview=_overview(200),
    )
    text, blocks = schedule_message(answer, ZoneInfo("Asia/Tokyo"))
    _assert_within_limits(blocks, 50)
    assert "2000 slots" in text
    assert "not shown" in json.dumps(blocks)
    assert "200 departments: January 2027" in json.dumps(blocks)


def test_a_normal_month_is_shown_whole():
    answer = ScheduleAnswer(Month(2027, 1), LONDON, ["Department 00"], _slots(100, 1), _overview(1))
    _, blocks = schedule_message(answer, LONDON)
    _assert_within_limits(blocks, 50)
    rendered = json.dumps(blocks)
    assert "not shown" not in rendered
    assert all(f"number {i}" in rendered for i in range(100))


def test_a_huge_home_tab_fits():
    roles = Roles("U1", overall=True, coordinates=frozenset(range(30)), contributes=frozenset({1}))
    model = HomeModel(
        roles=roles,
        org_loaded=True,
        month=Month(2027, 1),
        upcoming=tuple(_slots(15, 1)),
        my_departments=tuple(_overview(30)),
        my_department_slots=tuple(_slots(3000, 30)),
        all_departments=tuple(_overview(200)),
    )
    view = home_view(model, LONDON)
    _assert_within_limits(view["blocks"], 100)
    assert "Your upcoming posts" in json.dumps(view["blocks"])


def test_a_huge_home_tab_with_everything_to_act_on_fits_and_says_what_it_left_out():
    from bot.home import Attention, Glance, WaitingThread

    roles = Roles("U1", overall=True, coordinates=frozenset(range(200)), contributes=frozenset({1}))
    slots = _slots(3000, 200)
    model = HomeModel(
        roles=roles,
        org_loaded=True,
        month=Month(2027, 1),
        upcoming=tuple(s for s in slots[:15]),
        my_departments=tuple(_overview(200)),
        my_department_slots=tuple(slots),
        can_add=True,
        waiting=tuple(
            WaitingThread(i, f"<!channel> topic {i} " + "y" * 150, "D", "C1", f"{i}.000100")
            for i in range(15)
        ),
        attention=tuple(Attention(s, unassigned=i % 2 == 0) for i, s in enumerate(slots[:30])),
        glance=tuple(Glance(i, f"Department {i:03d}", 100, 50, 10, 5) for i in range(200)),
    )
    view = home_view(model, LONDON, "https://acme.slack.com/")
    _assert_within_limits(view["blocks"], 100)
    rendered = json.dumps(view["blocks"])
    assert "more departments" in rendered and "more this month" in rendered
    assert "more late or unassigned" in rendered and "more of your posts" in rendered
    assert "<!channel>" not in rendered and "&lt;!channel&gt;" in rendered
    assert view["blocks"][-1]["type"] == "context"  # the footer survives


def test_app_home_shows_the_year_of_a_date_outside_this_one():
    """In January, December's late post and its draft say 2026; this January's need not."""
    from bot.home import Attention, DraftSummary

    december = SlotView(
        id=1,
        department="Department 00",
        due_at=datetime(2026, 12, 28, 10, tzinfo=UTC),
        platform=Platform.LINKEDIN,
        account="acme",
        topic="Year in review",
        contributor_id="U0ALICE",
        status=SlotStatus.LATE,
    )
    [january] = _slots(1, 1)
    roles = Roles("U1", overall=False, coordinates=frozenset({0}), contributes=frozenset({0}))
    model = HomeModel(
        roles=roles,
        org_loaded=True,
        month=Month(2027, 1),
        now=datetime(2027, 1, 4, 9, tzinfo=UTC),
        upcoming=(january,),
        attention=(Attention(december, unassigned=False),),
        drafts=(
            DraftSummary(
                "Year in review", 1, datetime(2026, 12, 30, 16, tzinfo=UTC), SlotStatus.LATE, "…"
            ),
        ),
    )
    rendered = json.dumps(home_view(model, LONDON)["blocks"])
    assert "Mon 28 Dec 2026, 10:00" in rendered
    assert "Wed 30 Dec 2026, 16:00" in rendered
    assert "Fri 1 Jan, 09:00" in rendered


def test_late_post_messages_show_the_year_of_a_date_outside_this_one():
    from bot.nudges.digests import DigestItem
    from bot.slack.views.escalation import late_for_coordinator, weekly_late_digest
    from bot.slack.views.undeliverable import undeliverable_message

    item = DigestItem(
        slot_id=7,
        department="Marketing",
        due_at=datetime(2026, 12, 28, 10, tzinfo=UTC),
        platform=Platform.LINKEDIN,
        account="acme",
        topic="Year in review",
        contributor_id="U0ALICE",
        status=SlotStatus.LATE,
        snoozed_until=None,
        department_id=1,
        reminded=0,
        stage="late",
    )
    january, december = datetime(2027, 1, 4, 9, tzinfo=UTC), datetime(2026, 12, 29, tzinfo=UTC)
    for render in (
        lambda now: late_for_coordinator([item], LONDON, now),
        lambda now: weekly_late_digest([item], LONDON, now, 3),
        lambda now: undeliverable_message([item], {7: "user_not_found"}, LONDON, now),
    ):
        assert "Mon 28 Dec 2026, 10:00" in json.dumps(render(january)[1])
        assert "Mon 28 Dec, 10:00" in json.dumps(render(december)[1])
