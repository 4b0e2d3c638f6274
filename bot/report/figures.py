"""The month's measures per account, goal, department and reviewer, from plain records."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta

from bot.report.inputs import Kind, Post, ReportInput
from bot.report.numbers import change_pct, one, pct
from bot.schedule.timing import Month


@dataclass(frozen=True)
class AccountMonth:
    account: str
    month: str
    posts: int
    impressions: int | None  # from daily account metrics where there are any, else from posts
    impressions_source: str | None  # "daily" | "posts" | None (no data)
    interactions: int
    post_impressions: int
    engagement_rate_pct: float | None  # interactions ÷ impressions of the month's posts
    reach_sum: int | None  # sum of per-post reach (people reached by several posts count again)
    followers_start: int | None
    new_followers: int | None
    follower_growth_pct: float | None


@dataclass(frozen=True)
class GoalResult:
    scope: str  # an account, or "organisation"
    measure: str  # engagement_rate | follower_growth | impressions | reach | on_time
    target: float | int
    actual: float | int | None
    unit: str  # "%" or "" (a count)
    met: bool | None  # None when there is no data
    gap: float | int | None  # actual - target, in the measure's unit (points for %)
    relative_gap_pct: float | None  # gap as a share of the target
    note: str = ""
    inputs: dict[str, int] = field(default_factory=dict)  # the counts behind a share


@dataclass(frozen=True)
class DepartmentSlots:
    department: str
    planned: int
    on_time: int
    late: int
    missed: int

    @property
    def due(self) -> int:
        return self.on_time + self.late + self.missed


@dataclass(frozen=True)
class Turnaround:
    name: str  # a department or a reviewer
    reviews: int
    median_hours: float | None


@dataclass(frozen=True)
class TopPost:
    account: str
    published_at: str
    format: str
    title: str
    url: str
    impressions: int | None
    reach: int | None
    interactions: int
    engagement_rate_pct: float | None


@dataclass(frozen=True)
class Figures:
    months: tuple[str, ...]  # the last 12, oldest first, ending with the report's month
    series: dict[str, tuple[AccountMonth, ...]]  # per account, aligned with months
    goals: tuple[GoalResult, ...]
    departments: tuple[DepartmentSlots, ...]
    turnaround: tuple[Turnaround, ...]  # per department, decided in the month
    top_posts: tuple[TopPost, ...]
    total_impressions: int | None  # summed across platforms, which count differently
    total_impressions_before: int | None
    total_change_pct: float | None

    def current(self, account: str) -> AccountMonth:
        return self.series[account][-1]

    def previous(self, account: str) -> AccountMonth:
        return self.series[account][-2]


def month_of(moment: datetime, data: ReportInput) -> str:
    local = moment.astimezone(data.timezone)
    return f"{local.year:04d}-{local.month:02d}"


def last_months(month: Month, count: int = 12) -> list[Month]:
    months = [month]
    while len(months) < count:
        months.append(months[-1].previous())
    return list(reversed(months))


def compute_figures(data: ReportInput) -> Figures:
    months = [str(m) for m in last_months(data.month)]
    wanted = set(months)
    posts_by: dict[tuple[str, str], list[Post]] = defaultdict(list)
    for post in data.posts:
        month_key = month_of(post.published_at, data)
        if month_key in wanted:
            posts_by[(post.account, month_key)].append(post)
    daily_imp: dict[tuple[str, str], int] = defaultdict(int)
    daily_new: dict[tuple[str, str], int] = defaultdict(int)
    has_new: set[tuple[str, str]] = set()
    followers: dict[tuple[str, str], tuple[date, int]] = {}  # the month's first count
    for day in data.days:
        key = (day.account, f"{day.day.year:04d}-{day.day.month:02d}")
        if key[1] not in wanted:
            continue
        if day.impressions is not None:
            daily_imp[key] += day.impressions
        if day.new_followers is not None:
            daily_new[key] += day.new_followers
            has_new.add(key)
        if day.followers is not None and (key not in followers or day.day < followers[key][0]):
            followers[key] = (day.day, day.followers)
    series: dict[str, tuple[AccountMonth, ...]] = {}
    for account in data.accounts:
        rows = []
        for month in months:
            key = (account.ref, month)
            posts = posts_by.get(key, [])
            with_imp = [p for p in posts if p.impressions]
            interactions = sum(p.interactions for p in with_imp)
            post_imp = sum(p.impressions or 0 for p in with_imp)
            if key in daily_imp:
                impressions, source = daily_imp[key], "daily"
            elif with_imp:
                impressions, source = post_imp, "posts"
            else:
                impressions, source = None, None
            reaches = [p.reach for p in posts if p.reach is not None]
            start = followers.get(key)
            new = daily_new[key] if key in has_new else None
            growth = pct(new / start[1]) if start and start[1] and new is not None else None
            rows.append(
                AccountMonth(
                    account=account.ref,
                    month=month,
                    posts=len(posts),
                    impressions=impressions,
                    impressions_source=source,
                    interactions=interactions,
                    post_impressions=post_imp,
                    engagement_rate_pct=pct(interactions / post_imp) if post_imp else None,
                    reach_sum=sum(reaches) if reaches else None,
                    followers_start=start[1] if start else None,
                    new_followers=new,
                    follower_growth_pct=growth,
                )
            )
        series[account.ref] = tuple(rows)
    now_total = _total(series, -1)
    before_total = _total(series, -2)
    slots = _slots(data)
    return Figures(
        months=tuple(months),
        series=series,
        goals=tuple(_goals(data, series, slots)),
        departments=tuple(slots),
        turnaround=tuple(_turnaround(data)),
        top_posts=tuple(_top_posts(data, posts_by, months[-1])),
        total_impressions=now_total,
        total_impressions_before=before_total,
        total_change_pct=change_pct(now_total, before_total),
    )


def _total(series: dict[str, tuple[AccountMonth, ...]], index: int) -> int | None:
    values = [rows[index].impressions for rows in series.values()]
    known = [v for v in values if v is not None]
    return sum(known) if known else None


def _gap(
    scope: str, measure: str, target: float | int, actual: float | int | None, unit: str
) -> GoalResult:
    if actual is None:
        return GoalResult(scope, measure, target, None, unit, None, None, None, "no data")
    gap = round(actual - target, 2) if unit == "%" else actual - target
    relative = one((actual - target) / target * 100) if target else None
    return GoalResult(scope, measure, target, actual, unit, actual >= target, gap, relative)


def _goals(
    data: ReportInput, series: dict[str, tuple[AccountMonth, ...]], slots: list[DepartmentSlots]
) -> list[GoalResult]:
    results: list[GoalResult] = []
    for account in data.accounts:
        now = series[account.ref][-1]
        targets = data.goals.for_account(account.ref)
        if targets.engagement_rate is not None:
            target = pct(targets.engagement_rate)
            assert target is not None
            results.append(
                _gap(account.ref, "engagement_rate", target, now.engagement_rate_pct, "%")
            )
        if targets.follower_growth is not None:
            target = pct(targets.follower_growth)
            assert target is not None
            results.append(
                _gap(account.ref, "follower_growth", target, now.follower_growth_pct, "%")
            )
        if targets.impressions is not None:
            results.append(
                _gap(account.ref, "impressions", targets.impressions, now.impressions, "")
            )
        if targets.reach is not None:
            results.append(_gap(account.ref, "reach", targets.reach, now.reach_sum, ""))
    org = data.goals.organisation
    if org.impressions is not None:
        total = _total(series, -1)
        result = _gap("organisation", "impressions", org.impressions, total, "")
        results.append(
            _with_note(result, "summed across platforms, which count impressions differently")
        )
    if org.reach is not None:
        sums = [rows[-1].reach_sum for rows in series.values() if rows[-1].reach_sum is not None]
        result = _gap("organisation", "reach", org.reach, sum(sums) if sums else None, "")
        results.append(_with_note(result, "per-post reach summed across posts and platforms"))
    if data.goals.on_time is not None:
        due = sum(s.due for s in slots)
        on_time = sum(s.on_time for s in slots)
        target = pct(data.goals.on_time)
        assert target is not None
        result = _gap("organisation", "on_time", target, pct(on_time / due) if due else None, "%")
        note = f"{on_time} of {due} slots due"
        results.append(replace(_with_note(result, note), inputs={"on_time": on_time, "due": due}))
    return results


def _with_note(result: GoalResult, note: str) -> GoalResult:
    return replace(result, note=result.note or note)


def _slots(data: ReportInput) -> list[DepartmentSlots]:
    start, end = data.month.bounds_utc(data.timezone)
    as_of = end
    counts: dict[str, list[int]] = {d: [0, 0, 0, 0] for d in data.departments}
    for slot in data.slots:
        if slot.cancelled or not (start <= slot.due_at < end):
            continue
        row = counts.setdefault(slot.department, [0, 0, 0, 0])
        if slot.published_at is not None:
            row[1 if slot.published_at <= slot.due_at else 2] += 1
        elif slot.due_at < as_of:
            row[3] += 1
        else:
            row[0] += 1
    return [DepartmentSlots(d, *counts[d]) for d in sorted(counts, key=str.casefold)]


def _turnaround(data: ReportInput) -> list[Turnaround]:
    start, end = data.month.bounds_utc(data.timezone)
    by_department: dict[str, list[float]] = {d: [] for d in data.departments}
    for review in data.reviews:
        if start <= review.decided_at < end:
            by_department.setdefault(review.department, []).append(review.hours)
    return [
        Turnaround(d, len(h), one(statistics.median(h)) if h else None)
        for d, h in sorted(by_department.items(), key=lambda item: item[0].casefold())
    ]


def _top_posts(
    data: ReportInput, posts_by: dict[tuple[str, str], list[Post]], month: str, count: int = 10
) -> list[TopPost]:
    posts = [p for (_, m), ps in posts_by.items() if m == month for p in ps]
    posts.sort(key=lambda p: (-p.interactions, p.published_at))
    return [
        TopPost(
            account=p.account,
            published_at=p.published_at.astimezone(UTC).isoformat(),
            format=p.format,
            title=p.title,
            url=p.url,
            impressions=p.impressions,
            reach=p.reach,
            interactions=p.interactions,
            engagement_rate_pct=pct(p.engagement_rate),
        )
        for p in posts[:count]
    ]


def window_posts(data: ReportInput) -> list[Post]:
    """The post history the advice rests on: `window_days` up to the end of the month."""
    _, end = data.month.bounds_utc(data.timezone)
    start = end - timedelta(days=data.settings.window_days)
    refs = {a.ref for a in data.accounts}
    return [p for p in data.posts if start <= p.published_at < end and p.account in refs]


def leaders(data: ReportInput) -> list[str]:
    return [a.ref for a in data.accounts if a.kind is Kind.LEADER]
