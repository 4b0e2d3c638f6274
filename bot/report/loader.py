"""Reading a month's report input from storage (imported analytics, slots, reviews, goals)."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.report.figures import last_months
from bot.report.inputs import (
    Account,
    AccountDay,
    Goals,
    Kind,
    Post,
    ReportInput,
    ReviewRecord,
    Settings,
    SlotRecord,
    Targets,
)
from bot.schedule.timing import Month
from storage.repositories import organisation as org_repo
from storage.repositories import reports as repo


class UnknownDepartment(Exception):
    pass


def load_input(
    session: Session,
    month: Month,
    *,
    department: str | None = None,
    settings: Settings | None = None,
) -> ReportInput:
    settings = settings or Settings()
    org = org_repo.get_organisation(session)
    tz = ZoneInfo(org.timezone if org else "UTC")
    names = repo.department_names(session)
    if department is not None:
        match = next((n for n in names if n.casefold() == department.strip().casefold()), None)
        if match is None:
            raise UnknownDepartment(department)
        department, names = match, [match]
    _, end = month.bounds_utc(tz)
    first, _ = last_months(month)[0].bounds_utc(tz)
    start = min(first, end - timedelta(days=settings.window_days))
    rows = [r for r in repo.accounts(session) if department is None or r[4] == department]
    by_id = {
        r[0]: Account(
            f"{r[1]}:{r[2]}", Kind.LEADER if r[3] == Kind.LEADER.value else Kind.ORGANISATION, r[4]
        )
        for r in rows
    }
    ids = list(by_id)
    posts = tuple(
        Post(
            account=by_id[r[0]].ref,
            published_at=r[1],
            format=r[3] or "unknown",
            impressions=r[4],
            reach=r[5],
            interactions=r[6] or 0,
            clicks=r[7],
            url=r[8] or "",
            title=r[9] or "",
            department=r[10] or by_id[r[0]].department,
            has_time=bool(r[2]),
        )
        for r in repo.posts(session, ids, start, end)
        if r[6] is not None  # interactions unknown: no engagement rate to speak of
    )
    days = tuple(
        AccountDay(by_id[r[0]].ref, r[1], r[2], r[3], r[4])
        for r in repo.account_days(
            session, ids, start.astimezone(tz).date(), end.astimezone(tz).date()
        )
    )
    month_start, month_end = month.bounds_utc(tz)
    slots = tuple(
        SlotRecord(r[0], r[1], r[3], cancelled=r[2] == "cancelled")
        for r in repo.slots_due(session, month_start, month_end)
        if department is None or r[0] == department
    )
    reviews = tuple(
        ReviewRecord(r[0], r[1], r[2], r[3])
        for r in repo.reviews(session, end - timedelta(days=settings.window_days), end)
        if department is None or r[0] == department
    )
    return ReportInput(
        month=month,
        timezone=tz,
        accounts=tuple(by_id.values()),
        posts=posts,
        days=days,
        slots=slots,
        reviews=reviews,
        goals=_goals(repo.goals(session), by_id),
        departments=tuple(names),
        organisation=org.name if org else "",
        department=department,
        settings=settings,
    )


def _goals(rows: list[tuple[int | None, str, float]], by_id: dict[int, Account]) -> Goals:
    organisation: dict[str, float] = {}
    per_account: dict[str, dict[str, float]] = {}
    for account_id, measure, target in rows:
        if account_id is None:
            organisation[measure] = target
        elif account_id in by_id:
            per_account.setdefault(by_id[account_id].ref, {})[measure] = target
    return Goals(
        organisation=_targets(organisation),
        on_time=organisation.get("on_time"),
        accounts={ref: _targets(values) for ref, values in per_account.items()},
    )


def _targets(values: dict[str, float]) -> Targets:
    impressions, reach = values.get("impressions"), values.get("reach")
    return Targets(
        engagement_rate=values.get("engagement_rate"),
        follower_growth=values.get("follower_growth"),
        impressions=int(impressions) if impressions is not None else None,
        reach=int(reach) if reach is not None else None,
    )
