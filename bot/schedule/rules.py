"""Recurring rules: slots generated for a year, idempotently, rotating through contributors."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.nudges.service import file_for_reminders
from bot.organisation.missing import NoOrganisation
from bot.organisation.spec import WEEKDAYS
from bot.schedule.csv_import import slot_key
from bot.schedule.timing import NonexistentLocalTime, local_to_utc
from storage.models import Rule, Slot
from storage.repositories import organisation as org_repo
from storage.repositories import slots as repo


@dataclass(frozen=True)
class Occurrence:
    due_at: datetime
    contributor: str


def occurrences(rule: Rule, year: int, tz: ZoneInfo, default_hour: int) -> list[Occurrence]:
    days = {WEEKDAYS.index(d) for d in rule.weekdays.split(",") if d}
    people = [p for p in rule.contributors.split(",") if p]
    at = time.fromisoformat(rule.due_time) if rule.due_time else time(default_hour)
    first, last = date(year, 1, 1), date(year, 12, 31)
    if rule.starts:
        first = max(first, rule.starts)
    if rule.ends:
        last = min(last, rule.ends)
    found: list[Occurrence] = []
    day = first
    while day <= last:
        if day.weekday() in days:
            try:
                due = local_to_utc(datetime.combine(day, at), tz)
            except NonexistentLocalTime:  # the hour the clocks skip: an hour later instead
                due = local_to_utc(datetime.combine(day, at) + timedelta(hours=1), tz)
            found.append(Occurrence(due, people[len(found) % len(people)]))
        day += timedelta(days=1)
    return found


@dataclass(frozen=True)
class Generated:
    added: int
    existing: int
    on_blackout: int
    slot_ids: tuple[int, ...] = ()  # the new slots

    def __str__(self) -> str:
        return (
            f"{self.added} slots added, {self.existing} already there, "
            f"{self.on_blackout} on blackout days (flagged in the schedule)"
        )


def generate_year(*, session: Session, year: int, now: datetime) -> Generated:
    org = org_repo.get_organisation(session)
    if org is None:
        raise NoOrganisation()
    tz = ZoneInfo(org.timezone)
    blackout = org_repo.blackout_days(session)
    planned: dict[str, tuple[Rule, Occurrence]] = {}
    for rule in org_repo.active_rules(session):
        for occurrence in occurrences(rule, year, tz, org.default_due_hour):
            key = slot_key(
                rule.department_id, occurrence.due_at, rule.platform, rule.account_id, rule.topic
            )
            planned[key] = (rule, occurrence)
    existing = repo.by_natural_keys(session, planned)
    added: list[Slot] = []
    on_blackout = 0
    for key, (rule, occurrence) in planned.items():
        if key in existing:
            continue
        slot = Slot(
            natural_key=key,
            department_id=rule.department_id,
            due_at=occurrence.due_at,
            platform=rule.platform,
            account_id=rule.account_id,
            topic=rule.topic,
            contributor_id=occurrence.contributor,
            source=f"rule:{rule.id}",
            created_at=now,
            updated_at=now,
        )
        session.add(slot)
        added.append(slot)
        on_blackout += occurrence.due_at.astimezone(tz).date() in blackout
    session.flush()
    for slot in added:
        assert slot.id is not None
        repo.add_event(session, slot_id=slot.id, at=now, kind="generated", detail=slot.source)
    ids = tuple(s.id for s in added if s.id is not None)
    file_for_reminders(session, ids)
    return Generated(len(added), len(existing), on_blackout, ids)


@dataclass(frozen=True)
class NextOccurrence:
    slot_id: int
    due_at: datetime
    contributor_id: str
    status: str


@dataclass(frozen=True)
class RuleView:
    department: str
    weekdays: tuple[str, ...]
    platform: str
    topic: str
    contributors: tuple[str, ...]
    upcoming: tuple[NextOccurrence, ...]


def rules_for(
    *, session: Session, department_ids: list[int], now: datetime, per_rule: int = 5
) -> list[RuleView]:
    """The active rules of these departments, each with its next occurrences."""
    names = {d.id: d.name for d in org_repo.all_departments(session)}
    views: list[RuleView] = []
    for rule in org_repo.active_rules(session):
        if rule.department_id not in department_ids or rule.id is None:
            continue
        upcoming = tuple(
            NextOccurrence(*row)
            for row in repo.upcoming_from_rule(session, rule.id, now=now, limit=per_rule)
        )
        views.append(
            RuleView(
                department=names.get(rule.department_id, "?"),
                weekdays=tuple(rule.weekdays.split(",")),
                platform=rule.platform,
                topic=rule.topic,
                contributors=tuple(rule.contributors.split(",")),
                upcoming=upcoming,
            )
        )
    return views
