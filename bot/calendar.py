"""The organisation's communications calendar in, and each department's schedule out, as
iCalendar (RFC 5545) files."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events
from sqlmodel import Session

from bot.nudges.service import file_for_reminders
from bot.organisation.missing import NoOrganisation
from bot.organisation.platforms import Platform
from bot.schedule.status import SlotStatus
from bot.schedule.timing import SCHEDULE_YEARS
from bot.text import ECHO_LIMIT, SHOWN, clip, shown
from storage.repositories import organisation as org_repo
from storage.repositories import slots as slot_repo

CALENDAR_SOURCE = "calendar"
UTC_ZONE = ZoneInfo("UTC")
MAX_EVENT_DAYS = 366


class CalendarError(Exception):
    """The file is not an iCalendar file we can read."""


@dataclass(frozen=True)
class CalendarImport:
    events: int
    days: int
    flagged: list[tuple[str, str, datetime]] = field(default_factory=list)  # dept, topic, due
    timezone: ZoneInfo = UTC_ZONE  # the organisation's: operators read times in it
    repeats_through: int | None = None  # the last year repeating events were counted in

    def flagged_lines(self) -> list[str]:
        tz = self.timezone
        return [
            f"{d}: {t} (due {due.astimezone(tz):%Y-%m-%d %H:%M} {tz.key})"
            for d, t, due in self.flagged
        ]


def _as_date(value: date | datetime, tz: ZoneInfo) -> date:
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=tz)).astimezone(tz).date()
    return value


@dataclass(frozen=True)
class Blackouts:
    events: int
    days: dict[date, str]
    repeats_through: int | None = None  # the last year repeating events were counted in


def blackout_days(data: bytes, tz: ZoneInfo, *, today: date) -> Blackouts:
    """Every event blocks the local days it covers (DTEND exclusive for all-day events, or
    DURATION). A repeating event (RRULE, RDATE, with its EXDATEs and moved occurrences) blocks
    each occurrence from the start of last year to the end of REPEATS_AHEAD years after
    `today`'s. Any event we cannot read refuses the whole file."""
    try:
        calendar = icalendar.Calendar.from_ical(data)
    except ValueError as exc:
        raise CalendarError(f"not an iCalendar file ({shown(str(exc), ECHO_LIMIT)})") from None
    days: dict[date, str] = {}
    events = 0
    repeating = icalendar.Calendar()
    for timezone in calendar.walk("VTIMEZONE"):
        repeating.add_component(timezone)
    repeating_series = {
        _series(e)
        for e in calendar.walk("VEVENT")
        if any(key in e for key in ("RRULE", "RDATE", "RECURRENCE-ID"))
    }
    for position, event in enumerate(calendar.walk("VEVENT"), start=1):
        name = _event_name(event, position)
        events += "RECURRENCE-ID" not in event  # a moved occurrence is not another event
        if _series(event) in repeating_series:
            _span(event, name)  # each is read before any is expanded, to name what is wrong
            _check_repeats(event, name)
            repeating.add_component(event)
        else:
            _block(days, event, name, tz)
    if not repeating_series:
        return Blackouts(events, days)
    through = today.year + REPEATS_AHEAD
    for occurrence in _occurrences(repeating, date(today.year - 1, 1, 1), date(through + 1, 1, 1)):
        _block(days, occurrence, _event_name(occurrence), tz)
    return Blackouts(events, days, through)


def _series(event: icalendar.Component) -> object:
    """What ties a repeating event to its moved occurrences: its UID (RFC 5545 requires one;
    an event without one stands alone)."""
    uid = str(event.get("UID", "")).strip()
    return uid or id(event)


REPEATS_AHEAD = 3  # years after this one a repeating event is counted in (import again later)
MAX_OCCURRENCES = 5000  # two daily events over the five years counted; more is a mistake


def _occurrences(calendar: icalendar.Calendar, first: date, end: date) -> list[icalendar.Event]:
    """Year by year, so that a flood of occurrences is refused before it is all computed."""
    occurrences: list[icalendar.Event] = []
    query = recurring_ical_events.of(calendar)
    for year in range(first.year, end.year):
        try:
            occurrences += query.between(date(year, 1, 1), date(year + 1, 1, 1))
        except ValueError as exc:  # InvalidCalendar, or dateutil refusing a rule
            raise CalendarError(f"a repeating event cannot be read ({shown(str(exc))})") from None
        if len(occurrences) > MAX_OCCURRENCES:
            raise CalendarError(
                f"repeating events occur over {MAX_OCCURRENCES:,} times from {first.year} to "
                f"{year}: a blackout calendar holds days off, not every meeting"
            )
    return occurrences


_DAILY_OR_LONGER = {"DAILY", "WEEKLY", "MONTHLY", "YEARLY"}


def _check_repeats(event: icalendar.Component, name: str) -> None:
    rules = event.get("RRULE", [])
    for rule in rules if isinstance(rules, list) else [rules]:
        try:
            freq = [str(f).upper() for f in rule.get("FREQ", [])]
        except ValueError:  # BrokenCalendarProperty: FREQ=SOMETIMES
            given = rule.to_ical().decode("utf-8", "replace")
            raise CalendarError(
                f"{name}: RRULE {clip(given, SHOWN)!r} is not a repeat rule "
                "(like FREQ=YEARLY or FREQ=WEEKLY;BYDAY=SA,SU)"
            ) from None
        if not freq:
            raise CalendarError(f"{name}: RRULE has no FREQ (like FREQ=YEARLY)")
        if freq[0] not in _DAILY_OR_LONGER:
            raise CalendarError(
                f"{name} repeats {freq[0].lower()}: blackout days repeat daily at most "
                "(FREQ=DAILY, WEEKLY, MONTHLY or YEARLY)"
            )
    try:
        for key in ("RDATE", "EXDATE"):
            values = event.get(key, [])
            for value in values if isinstance(values, list) else [values]:
                value.dts  # noqa: B018 (raises on a date list we cannot read)
    except ValueError:
        raise CalendarError(f"{name}: {key} is not a list of dates") from None


def _span(event: icalendar.Component, name: str) -> tuple[date | datetime, date | datetime | None]:
    start = _when(event, "DTSTART", name)
    if start is None:
        raise CalendarError(f"{name} has no DTSTART")
    end = _when(event, "DTEND", name)
    if end is None and "DURATION" in event:
        try:
            length = getattr(event["DURATION"], "dt", None)
        except ValueError:  # BrokenCalendarProperty
            length = None
        if not isinstance(length, timedelta) or length < timedelta(0):
            raise CalendarError(f"{name}: DURATION is not a length of time (like P3D or PT2H)")
        end = start + length if length else None
    return start, end


def _block(days: dict[date, str], event: icalendar.Component, name: str, tz: ZoneInfo) -> None:
    start, end = _span(event, name)
    first = _as_date(start, tz)
    if end is None:
        last = first
    elif isinstance(end, datetime):
        last = _as_date(end - timedelta(seconds=1), tz)
    else:
        last = end - timedelta(days=1)
    if (last - first).days > MAX_EVENT_DAYS:
        raise CalendarError(f"{name} spans over a year")
    for day in (first, last):
        if day.year not in SCHEDULE_YEARS:
            raise CalendarError(f"{name} falls on {day}, {_YEARS_ALLOWED}")
    day = first
    while day <= max(first, last):
        days.setdefault(day, str(event.get("SUMMARY", "blackout")))
        day += timedelta(days=1)


_YEARS_ALLOWED = f"outside the years {SCHEDULE_YEARS[0]}–{SCHEDULE_YEARS[-1]}"


def _event_name(event: icalendar.Component, position: int | None = None) -> str:
    """How an error names an event: by its SUMMARY, its UID, or else its place in the file
    (an occurrence of a repeating event has none)."""
    for key, prefix in (("SUMMARY", "event"), ("UID", "event with UID")):
        text = str(event.get(key, "")).strip()
        if text:
            return f"{prefix} {clip(text, SHOWN)!r}"
    if position is None:
        return "a repeating event with no SUMMARY or UID"
    return f"event {position} in the file (it has no SUMMARY or UID)"


def _when(event: icalendar.Component, key: str, name: str) -> date | datetime | None:
    """DTSTART or DTEND as a date or date-time we can count days with, or None if absent."""
    prop = event.get(key)
    if prop is None:
        return None
    if isinstance(prop, list):
        raise CalendarError(f"{name} has {len(prop)} {key}s; an event has one")
    try:
        value = prop.dt
    except ValueError:  # icalendar's BrokenCalendarProperty: not a date at all
        value = None
    if not isinstance(value, date):  # nor a duration, a period or a time of day
        raw = prop.to_ical()
        given = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
        raise CalendarError(
            f"{name}: {key} {clip(given, SHOWN)!r} is not a date (YYYYMMDD) "
            "or a date-time (YYYYMMDDTHHMMSS)"
        )
    if value.year not in SCHEDULE_YEARS:
        raise CalendarError(f"{name}: {key} {value.isoformat()[:10]} is {_YEARS_ALLOWED}")
    return value


def import_calendar(*, session: Session, data: bytes, now: datetime) -> CalendarImport:
    org = org_repo.get_organisation(session)
    if org is None:
        raise NoOrganisation()
    tz = ZoneInfo(org.timezone)
    blackouts = blackout_days(data, tz, today=now.astimezone(tz).date())
    days = blackouts.days
    org_repo.replace_blackouts(session, source=CALENDAR_SOURCE, days=days)
    session.flush()
    file_for_reminders(session)  # reminders move off the new blackout days
    names = {d.id: d.name for d in org_repo.all_departments(session)}
    flagged = [
        (names.get(department_id, "?"), topic, due_at)
        for department_id, topic, due_at in slot_repo.open_slots_on(session, set(days), tz, now)
    ]
    return CalendarImport(blackouts.events, len(days), flagged, tz, blackouts.repeats_through)


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "department"


def export_calendars(*, session: Session, folder: Path) -> list[tuple[Path, int]]:
    if org_repo.get_organisation(session) is None:
        raise NoOrganisation()
    folder.mkdir(parents=True, exist_ok=True)
    written: list[tuple[Path, int]] = []
    for department in org_repo.active_departments(session):
        assert department.id is not None
        calendar = icalendar.Calendar()
        calendar.add("prodid", "-//socialbot//schedule//EN")
        calendar.add("version", "2.0")
        calendar.add("x-wr-calname", f"{department.name}: social media schedule")
        count = 0
        for (
            slot_id,
            due_at,
            platform,
            handle,
            topic,
            contributor,
            status,
        ) in slot_repo.department_export(session, department.id):
            if status == SlotStatus.CANCELLED.value:
                continue
            event = icalendar.Event()
            event.add("uid", f"slot-{slot_id}@socialbot")
            event.add("dtstamp", datetime.now(UTC))
            event.add("dtstart", due_at)
            event.add("dtend", due_at + timedelta(minutes=30))
            where = Platform(platform).label + (f" @{handle}" if handle else "")
            event.add("summary", f"{where}: {topic}")
            event.add("description", f"Contributor: {contributor}\nStatus: {status}")
            event.add("categories", [department.name])
            calendar.add_component(event)
            count += 1
        path = folder / f"{_slug(department.name)}.ics"
        path.write_bytes(calendar.to_ical())
        written.append((path, count))
    return written
