"""Loading the organisation file into storage, and reading people's roles back."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session

from bot.nudges.service import file_for_reminders
from bot.organisation.roles import Role
from bot.organisation.spec import OrganisationSpec
from storage.models import Account, Department, Membership, Organisation, Rule
from storage.repositories import analytics as analytics_repo
from storage.repositories import organisation as repo


@dataclass
class Tally:
    added: int = 0
    updated: int = 0
    retired: int = 0

    def __str__(self) -> str:
        return f"{self.added} added, {self.updated} updated, {self.retired} retired"


@dataclass
class LoadSummary:
    departments: Tally = field(default_factory=Tally)
    memberships: Tally = field(default_factory=Tally)
    accounts: Tally = field(default_factory=Tally)

    def lines(self) -> list[str]:
        return [
            f"departments: {self.departments}",
            f"roles: {self.memberships}",
            f"accounts: {self.accounts}",
        ]


def load_organisation(*, session: Session, spec: OrganisationSpec, now: datetime) -> LoadSummary:
    """Bring storage in line with the file. Nothing is deleted: what left the file is retired,
    so slots and history that point at it survive."""
    summary = LoadSummary()
    org = repo.get_organisation(session)
    if org is None:
        org = Organisation(id=1, timezone=spec.timezone, leadership_channel=spec.leadership_channel)
    org.name = spec.name
    org.timezone = spec.timezone
    org.leadership_channel = spec.leadership_channel
    org.default_due_hour = spec.default_due_hour
    org.reminder_days = _days_text(spec.reminders.days_before) or org.reminder_days
    org.reminder_hour = spec.reminders.hour
    org.reminder_min_lead_hours = spec.reminders.min_lead_hours
    org.escalate_after_days = spec.reminders.escalate_after_days
    org.review_nudge_hours = spec.reminders.review_nudge_after_hours
    org.protocols = spec.protocols.model_dump_json()
    org.access_channel = spec.access_channel
    org.leadership = json.dumps(spec.leadership)
    org.revision += 1
    org.updated_at = now
    session.add(org)

    departments = _sync_departments(session, spec, now, summary.departments)
    _sync_memberships(session, spec, departments, now, summary.memberships)
    _sync_accounts(session, spec, departments, now, summary.accounts)
    session.flush()
    _sync_rules(session, spec, departments)
    _sync_goals(session, spec)
    repo.replace_blackouts(
        session,
        source="organisation",
        days={d: "organisation file" for d in spec.reminders.blackout_dates},
    )
    session.flush()
    # Cadence or blackouts may have moved: file every open slot for the reminder job afresh.
    file_for_reminders(session)
    return summary


def _sync_goals(session: Session, spec: OrganisationSpec) -> None:
    """[goals] replaces the stored goals whole: organisation-wide ones, then per account."""
    accounts = {(a.platform, a.handle.casefold()): a.id for a in repo.all_accounts(session)}
    goals: list[tuple[int | None, str, float]] = []
    measures = ("engagement_rate", "follower_growth", "on_time", "impressions", "reach")
    for measure in measures:
        value = getattr(spec.goals, measure)
        if value is not None:
            goals.append((None, measure, float(value)))
    for item in spec.goals.accounts:
        platform, _, handle = item.account.partition(":")
        account_id = accounts[(platform, handle.casefold())]
        for measure in ("engagement_rate", "follower_growth", "impressions", "reach"):
            value = getattr(item, measure)
            if value is not None:
                goals.append((account_id, measure, float(value)))
    analytics_repo.replace_goals(session, goals)


def _days_text(days: list[int] | None) -> str | None:
    return None if days is None else ",".join(str(d) for d in days)


def _sync_rules(
    session: Session, spec: OrganisationSpec, departments: dict[str, Department]
) -> None:
    accounts = {(a.platform, a.handle.casefold()): a.id for a in repo.all_accounts(session)}
    for item in spec.departments:
        department = departments[item.name.casefold()]
        assert department.id is not None
        existing = {r.position: r for r in repo.rules_of(session, department.id)}
        for position, rule in enumerate(item.rules):
            row = existing.pop(position, None) or Rule(
                department_id=department.id,
                position=position,
                weekdays="",
                platform="",
                topic="",
                contributors="",
            )
            row.weekdays = ",".join(rule.days)
            row.due_time = rule.time
            row.platform = rule.platform.value
            row.account_id = (
                accounts.get((rule.platform.value, rule.account.casefold()))
                if rule.account
                else None
            )
            row.topic = rule.topic
            row.contributors = ",".join(rule.contributors)
            row.starts, row.ends, row.active = rule.starts, rule.ends, True
            session.add(row)
        for row in existing.values():
            row.active = False
            session.add(row)


def _sync_departments(
    session: Session, spec: OrganisationSpec, now: datetime, tally: Tally
) -> dict[str, Department]:
    existing = {d.name.casefold(): d for d in repo.all_departments(session)}
    wanted: dict[str, Department] = {}
    for item in spec.departments:
        key = item.name.casefold()
        department = existing.get(key)
        if department is None:
            department = Department(name=item.name, review_channel=item.review_channel)
            tally.added += 1
        elif (department.name, department.review_channel, department.active) != (
            item.name,
            item.review_channel,
            True,
        ):
            tally.updated += 1
        department.name = item.name
        department.review_channel = item.review_channel
        department.reminder_days = _days_text(item.reminder_days_before)
        department.active = True
        department.updated_at = now
        session.add(department)
        wanted[key] = department
    for key, department in existing.items():
        if key not in wanted and department.active:
            department.active = False
            department.updated_at = now
            session.add(department)
            tally.retired += 1
    session.flush()
    return wanted


def _sync_memberships(
    session: Session,
    spec: OrganisationSpec,
    departments: dict[str, Department],
    now: datetime,
    tally: Tally,
) -> None:
    wanted: set[tuple[str, str, int | None]] = {
        (user, Role.OVERALL_COORDINATOR.value, None) for user in spec.overall_coordinators
    }
    for item in spec.departments:
        department_id = departments[item.name.casefold()].id
        wanted |= {(u, Role.COORDINATOR.value, department_id) for u in item.coordinators}
        wanted |= {(u, Role.BACKUP.value, department_id) for u in item.backup_coordinators}
        wanted |= {(u, Role.CONTRIBUTOR.value, department_id) for u in item.contributors}
    seen: set[tuple[str, str, int | None]] = set()
    for membership in repo.all_memberships(session):
        key = (membership.user_id, membership.role, membership.department_id)
        keep = key in wanted and key not in seen
        seen.add(key)
        if keep and not membership.active:
            tally.updated += 1
        elif not keep and membership.active:
            tally.retired += 1
        else:
            continue
        membership.active = keep
        membership.updated_at = now
        session.add(membership)
    for user_id, role, department_id in sorted(wanted - seen, key=str):
        session.add(
            Membership(user_id=user_id, role=role, department_id=department_id, updated_at=now)
        )
        tally.added += 1


def _sync_accounts(
    session: Session,
    spec: OrganisationSpec,
    departments: dict[str, Department],
    now: datetime,
    tally: Tally,
) -> None:
    existing = {(a.platform, a.handle.casefold()): a for a in repo.all_accounts(session)}
    wanted: set[tuple[str, str]] = set()
    for item in spec.accounts:
        key = (item.platform.value, item.handle.casefold())
        wanted.add(key)
        department_id = (
            departments[item.department.casefold()].id if item.department is not None else None
        )
        account = existing.get(key)
        fields = (item.handle, item.kind.value, department_id, True)
        access = (item.max_access_minutes, item.approvals)
        if account is None:
            account = Account(
                platform=item.platform.value, handle=item.handle, kind=item.kind.value
            )
            tally.added += 1
        elif (account.handle, account.kind, account.department_id, account.active) != fields:
            tally.updated += 1
        elif (account.max_access_minutes, account.approvals) != access:
            pass  # access settings changed: updated below, not counted as an account change
        else:
            continue
        account.handle, account.kind, account.department_id, account.active = fields
        account.max_access_minutes, account.approvals = access
        account.updated_at = now
        session.add(account)
    for key, account in existing.items():
        if key not in wanted and account.active:
            account.active = False
            account.updated_at = now
            session.add(account)
            tally.retired += 1
