"""Access messages show a moment's year only when it isn't the reader's current year: explicit
datetimes throughout, so nothing here depends on today's date."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.access.audit import AuditEntry
from bot.access.rules import Reason, Status, refuse
from bot.access.service import Listing, RequestView, Result
from bot.access.vault import Secret
from bot.slack.views import access as views

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2027, 1, 15, 10, 0, tzinfo=UTC)  # a Friday
LAST_YEAR = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)  # a Thursday
THIS_YEAR = datetime(2027, 1, 14, 9, 15, tzinfo=UTC)  # a Thursday
NEXT_YEAR = datetime(2028, 1, 3, 8, 0, tzinfo=UTC)  # a Monday


PENDING = RequestView(
    id=7,
    account_id=1,
    account="linkedin:acme",
    requester="U0ALICE",
    duration=timedelta(hours=2),
    reason="posting the launch video",
    status=Status.PENDING,
    approvals_needed=1,
    requested_at=LAST_YEAR,
)


def _entry(seq: int, at: datetime) -> AuditEntry:
    return AuditEntry(
        seq=seq,
        at=at,
        kind="requested",
        actor="U0ALICE",
        account="linkedin:acme",
        request_id=7,
        detail="",
        prev_hash="",
    )


def test_audit_dates_from_another_year_show_it_and_this_years_do_not():
    text = json.dumps(
        views.audit_message([_entry(2, THIS_YEAR), _entry(1, LAST_YEAR)], LONDON, now=NOW)
    )
    assert "`1` Thu 31 Dec 2026, 23:30" in text
    assert "`2` Thu 14 Jan, 09:15" in text
    assert "Thu 14 Jan 2027" not in text


def test_the_year_is_the_readers_not_utcs():
    new_york = ZoneInfo("America/New_York")
    now = datetime(2027, 1, 1, 2, 0, tzinfo=UTC)  # still 31 Dec 2026 in New York
    text = json.dumps(views.audit_message([_entry(1, LAST_YEAR)], new_york, now=now))
    assert "Thu 31 Dec, 18:30" in text and "2026" not in text


def test_a_request_asked_last_year_and_decided_this_year():
    assert "(asked Thu 31 Dec 2026, 23:30)" in json.dumps(
        views.approver_message(PENDING, LONDON, now=NOW)
    )
    mine = Listing(mine=(PENDING,), waiting=(), approver=False)
    listed = json.dumps(views.list_message(mine, LONDON, now=NOW))
    assert "pending since Thu 31 Dec 2026, 23:30" in listed
    active = replace(
        PENDING,
        status=Status.ACTIVE,
        decided_by="U0MKTLEAD",
        decided_at=THIS_YEAR,
        ends_at=NEXT_YEAR,
    )
    assert views.status_line(active, LONDON, now=NOW) == (
        ":white_check_mark: Approved by <@U0MKTLEAD> at Thu 14 Jan, 09:15; "
        "active until Mon 3 Jan 2028, 08:00."
    )


def test_refusals_alerts_reveal_and_reminders_show_another_years_date():
    decided = Result(
        refuse(Reason.ALREADY_DECIDED),
        request=replace(PENDING, status=Status.DENIED, decided_at=LAST_YEAR),
        decided_by="U0MKTLEAD",
        decided_outcome="denied",
    )
    assert "denied #7 at Thu 31 Dec 2026, 23:30." in views.refusal(decided, LONDON, now=NOW)
    grant = replace(PENDING, status=Status.ACTIVE, ends_at=NEXT_YEAR)
    assert "until Mon 3 Jan 2028, 08:00)" in views.break_glass_alert(
        grant, "outage", LONDON, now=NOW
    )
    assert "(Mon 3 Jan 2028, 08:00)" in views.ending_soon_text(grant, LONDON, now=NOW)
    modal = views.reveal_modal(grant, Secret("pw"), None, LONDON, now=NOW)
    assert "until Mon 3 Jan 2028, 08:00." in json.dumps(modal)
    soon = replace(PENDING, status=Status.ACTIVE, ends_at=NOW + timedelta(minutes=10))
    assert "(Fri 15 Jan, 10:10)" in views.ending_soon_text(soon, LONDON, now=NOW)
