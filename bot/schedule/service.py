"""Importing slots and reading the schedule back for people."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.nudges.service import file_for_reminders
from bot.organisation.missing import NoOrganisation
from bot.organisation.platforms import Platform
from bot.organisation.roles import Role
from bot.schedule.csv_import import (
    DepartmentRef,
    ImportContext,
    RowProblem,
    ScheduleImportError,
    SlotRow,
    parse_schedule_csv,
)
from bot.schedule.status import SlotStatus
from bot.schedule.timing import Month
from storage.models import Slot
from storage.repositories import organisation as org_repo
from storage.repositories import slots as repo


@dataclass(frozen=True)
class ImportSummary:
    added: int
    updated: int
    unchanged: int
    warnings: tuple[RowProblem, ...] = ()  # new rows in the past or on blackout days
    slot_ids: tuple[int, ...] = ()  # the slots added or given a new contributor

    def __str__(self) -> str:
        return (
            f"{self.added} slots added, {self.updated} updated (new contributor), "
            f"{self.unchanged} already there"
        )


@dataclass(frozen=True)
class SlotView:
    id: int
    department: str
    due_at: datetime
    platform: Platform
    account: str | None
    topic: str
    contributor_id: str
    status: SlotStatus
    reminders: int = 0
    on_blackout: bool = False
    late_since: datetime | None = None
    not_reminded: bool = False  # found too late for any reminder to reach its contributor

    @property
    def late(self) -> bool:
        """Late: no draft by the due time, or a draft still unapproved then."""
        done = {SlotStatus.APPROVED, SlotStatus.PUBLISHED, SlotStatus.CANCELLED}
        return self.status is SlotStatus.LATE or (
            self.late_since is not None and self.status not in done
        )


@dataclass(frozen=True)
class DepartmentMonth:
    department_id: int
    name: str
    counts: dict[SlotStatus, int]
    late: int = 0  # of all statuses: due and not approved in time

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def import_context(session: Session) -> ImportContext:
    org = org_repo.get_organisation(session)
    if org is None:
        raise NoOrganisation()
    departments: dict[str, DepartmentRef] = {}
    for department in org_repo.active_departments(session):
        assert department.id is not None
        members = frozenset(
            org_repo.active_members_of(session, department.id, Role.CONTRIBUTOR.value)
        ) | frozenset(org_repo.active_members_of(session, department.id, Role.COORDINATOR.value))
        departments[department.name.casefold()] = DepartmentRef(
            department.id, department.name, members
        )
    accounts = {
        (a.platform, a.handle.casefold()): a.id
        for a in org_repo.active_accounts(session)
        if a.id is not None
    }
    return ImportContext(ZoneInfo(org.timezone), org.default_due_hour, departments, accounts)


def local_time(moment: datetime, tz: ZoneInfo) -> str:
    """A time for operators: in the organisation's timezone, which it names."""
    return f"{moment.astimezone(tz):%Y-%m-%d %H:%M} {tz.key}"


def row_warnings(
    rows: list[SlotRow], *, tz: ZoneInfo, blackout: set[date], now: datetime
) -> list[RowProblem]:
    """New rows an operator most likely did not mean: already due, or due on a blackout day."""
    found = []
    for row in rows:
        if row.due_at <= now:
            found.append(
                RowProblem(row.row, "due", f"due {local_time(row.due_at, tz)}, in the past")
            )
        elif row.due_at.astimezone(tz).date() in blackout:
            found.append(
                RowProblem(row.row, "due", f"due {local_time(row.due_at, tz)}, on a blackout day")
            )
    return found


def import_schedule(
    *, session: Session, text: str, source: str, now: datetime, strict: bool = False
) -> ImportSummary:
    """All-or-nothing: parse_schedule_csv raises before anything is written. New rows in the
    past or on blackout days are imported with a warning, or, when `strict`, refused."""
    context = import_context(session)
    rows = parse_schedule_csv(text, context)
    existing = repo.by_natural_keys(session, (r.natural_key for r in rows))
    new_rows = [r for r in rows if r.natural_key not in existing]
    tz = context.timezone
    days = [r.due_at.astimezone(tz).date() for r in new_rows]
    blackout = org_repo.blackout_days_between(session, min(days), max(days)) if days else set()
    warnings = row_warnings(new_rows, tz=tz, blackout=blackout, now=now)
    if strict and warnings:
        raise ScheduleImportError(warnings)
    added = updated = unchanged = 0
    new_or_changed: list[Slot] = []
    fresh: list[tuple[Slot, int]] = []
    for row in rows:
        slot = existing.get(row.natural_key)
        if slot is None:
            slot = Slot(
                natural_key=row.natural_key,
                department_id=row.department_id,
                due_at=row.due_at,
                platform=row.platform.value,
                account_id=row.account_id,
                topic=row.topic,
                contributor_id=row.contributor_id,
                source=f"{source} row {row.row}"[:200],
                created_at=now,
                updated_at=now,
            )
            session.add(slot)
            fresh.append((slot, row.row))
            added += 1
        elif slot.contributor_id != row.contributor_id:
            assert slot.id is not None
            repo.add_event(
                session,
                slot_id=slot.id,
                at=now,
                kind="reassigned",
                detail=f"{slot.contributor_id} → {row.contributor_id} by {source} row {row.row}",
            )
            slot.contributor_id = row.contributor_id
            slot.updated_at = now
            session.add(slot)
            new_or_changed.append(slot)
            updated += 1
        else:
            unchanged += 1
    session.flush()  # one batch of inserts, which gives the new slots their ids
    for slot, number in fresh:
        assert slot.id is not None
        repo.add_event(
            session, slot_id=slot.id, at=now, kind="imported", detail=f"{source} row {number}"
        )
        new_or_changed.append(slot)
    session.flush()
    ids = tuple(s.id for s in new_or_changed if s.id is not None)
    file_for_reminders(session, ids)
    return ImportSummary(added, updated, unchanged, tuple(warnings), ids)


def attention_slots(
    *, session: Session, department_ids: list[int], since: datetime, limit: int = 200
) -> list[SlotView]:
    """Late and handed-back posts of these departments due since `since`, soonest first."""
    return _views(
        repo.attention_rows(session, department_ids=department_ids, since=since, limit=limit)
    )


def _views(rows: object) -> list[SlotView]:
    return [
        SlotView(
            id=r[0],
            department=r[1],
            due_at=r[2],
            platform=Platform(r[3]),
            account=r[4],
            topic=r[5],
            contributor_id=r[6],
            status=SlotStatus(r[7]),
            reminders=r[8],
            late_since=r[9],
            not_reminded=bool(r[10]),
        )
        for r in rows  # type: ignore[attr-defined]
    ]


def month_slots(
    *, session: Session, department_ids: list[int], month: Month, tz: ZoneInfo
) -> list[SlotView]:
    """The month's slots, flagged where they fall on a blackout day (in the org's calendar)."""
    start, end = month.bounds_utc(tz)
    views = _views(repo.view_rows(session, start=start, end=end, department_ids=department_ids))
    blocked = org_repo.blackout_days_between(session, start.date(), end.date())
    if not blocked:
        return views
    return [replace(v, on_blackout=v.due_at.astimezone(tz).date() in blocked) for v in views]


def upcoming_for_contributor(
    *, session: Session, user_id: str, now: datetime, until: datetime, limit: int
) -> list[SlotView]:
    return _views(
        repo.view_rows(session, start=now, end=until, contributor_id=user_id, limit=limit)
    )


def summarise(slots: list[SlotView], departments: dict[int, str]) -> list[DepartmentMonth]:
    """Counts by status per department, from slots already at hand (no second query)."""
    counts: dict[str, dict[SlotStatus, int]] = {name: {} for name in departments.values()}
    late: dict[str, int] = defaultdict(int)
    for slot in slots:
        bucket = counts.setdefault(slot.department, {})
        bucket[slot.status] = bucket.get(slot.status, 0) + 1
        late[slot.department] += slot.late
    return [DepartmentMonth(i, name, counts[name], late[name]) for i, name in departments.items()]


def month_overview(
    *, session: Session, departments: dict[int, str], month: Month, tz: ZoneInfo
) -> list[DepartmentMonth]:
    """Counts by status for each of `departments` (id → name), in one grouped query."""
    start, end = month.bounds_utc(tz)
    counts: dict[int, dict[SlotStatus, int]] = defaultdict(dict)
    for department_id, status, n in repo.status_counts(
        session, start=start, end=end, department_ids=list(departments)
    ):
        counts[department_id][SlotStatus(status)] = n
    return [
        DepartmentMonth(i, departments[i], counts.get(i, {}))
        for i in sorted(departments, key=lambda i: departments[i])
    ]
