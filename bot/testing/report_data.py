"""Generated analytics for tests and benchmarks, with patterns planted on request."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np

from bot.report.inputs import (
    Account,
    AccountDay,
    Goals,
    Kind,
    Post,
    ReportInput,
    ReviewRecord,
    SlotRecord,
)
from bot.schedule.timing import Month

FORMATS = ("image", "video", "link", "text")


@dataclass
class Plan:
    """What to generate. Effects multiply the per-post engagement rate (or reach)."""

    month: Month = field(default_factory=lambda: Month(2027, 1))
    accounts: tuple[Account, ...] = (
        Account("linkedin:acme", Kind.ORGANISATION, "Marketing"),
        Account("x:acme", Kind.ORGANISATION, "Marketing"),
        Account("linkedin:helena-marsh", Kind.LEADER),
    )
    posts_per_day: float = 1.5  # per account
    days: int = 365
    base_rate: float = 0.02
    rates: dict[str, float] = field(default_factory=dict)  # account → base rate
    weekday: dict[str, tuple[int, float]] = field(default_factory=dict)  # account → (day, ×)
    formats: dict[str, tuple[str, float]] = field(default_factory=dict)  # account → (fmt, ×)
    reach: dict[str, float] = field(default_factory=dict)  # account → × reach
    size: dict[str, int] = field(default_factory=dict)  # account → typical impressions
    noise: float = 0.35  # lognormal sigma of the per-post rate
    seed: int = 7
    goals: Goals = field(default_factory=Goals)
    departments: tuple[str, ...] = ("Marketing", "Research")
    slots: tuple[SlotRecord, ...] = ()
    reviews: tuple[ReviewRecord, ...] = ()
    tz: str = "Europe/London"


def generate(plan: Plan) -> ReportInput:
    rng = np.random.default_rng(plan.seed)
    tz = ZoneInfo(plan.tz)
    _, end = plan.month.bounds_utc(tz)
    start = end - timedelta(days=plan.days)
    posts: list[Post] = []
    days: list[AccountDay] = []
    for index, account in enumerate(plan.accounts):
        count = rng.poisson(plan.posts_per_day * plan.days)
        offsets = np.sort(rng.uniform(0, plan.days * 86400, size=count))
        formats = rng.choice(FORMATS, size=count)
        impressions = np.maximum(
            50, rng.lognormal(np.log(plan.size.get(account.ref, 2000)), 0.4, count)
        )
        rates = plan.rates.get(account.ref, plan.base_rate) * rng.lognormal(0, plan.noise, count)
        reach_factor = plan.reach.get(account.ref, 1.0)
        for i in range(count):
            at = start + timedelta(seconds=float(offsets[i]))
            rate = float(rates[i])
            wanted = plan.weekday.get(account.ref)
            if wanted and at.astimezone(tz).weekday() == wanted[0]:
                rate *= wanted[1]
            fmt = plan.formats.get(account.ref)
            if fmt and formats[i] == fmt[0]:
                rate *= fmt[1]
            shown = int(impressions[i])
            posts.append(
                Post(
                    account=account.ref,
                    published_at=at.replace(microsecond=0),
                    format=str(formats[i]),
                    impressions=shown,
                    reach=int(shown * 0.7 * reach_factor * rng.uniform(0.9, 1.1)),
                    interactions=round(shown * min(rate, 1.0)),
                    clicks=int(shown * 0.01),
                    url=f"https://{account.platform}.example/{account.ref}/{i}",
                    department=account.department,
                )
            )
        followers = 5000 * (1 + index)
        day = start.astimezone(tz).date()
        while day < end.astimezone(tz).date():
            new = int(rng.poisson(followers * 0.001))
            days.append(AccountDay(account.ref, day, int(impressions.mean() * 2), followers, new))
            followers += new
            day += timedelta(days=1)
    return ReportInput(
        month=plan.month,
        timezone=tz,
        accounts=plan.accounts,
        posts=tuple(posts),
        days=tuple(days),
        slots=plan.slots,
        reviews=plan.reviews,
        goals=plan.goals,
        departments=plan.departments,
        organisation="Acme",
    )


def at(day: date, hour: int = 12) -> datetime:
    return datetime.combine(day, time(hour), UTC)
