"""Advice for next month: only what the figures support, each line citing its numbers.

Timing and format claims compare posts *within one account* (accounts differ in size), on the
per-post engagement rate, with a permutation test (no assumption of normal data), a minimum
number of posts in each group, and the Benjamini–Hochberg correction across every weekday, hour
band and format looked at, in every account at once."""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import numpy as np

from bot.report.figures import Figures, GoalResult, leaders, month_of, window_posts
from bot.report.inputs import Kind, Post, ReportInput
from bot.report.numbers import one, pct, show
from bot.report.stats import (
    benjamini_hochberg,
    bootstrap_ratio_of_medians,
    group_tests,
    permutations_for,
)

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
HOUR_BANDS = ((0, 6), (6, 9), (9, 12), (12, 15), (15, 18), (18, 21), (21, 24))
LOOKS_BIG = 1.5  # a group this many times the rest "looks strong" (or 1/this: weak)
MAX_FINDINGS = 6
MAX_CAVEATS = 3
MAX_DEPARTMENTS = 5


@dataclass(frozen=True)
class Advice:
    kind: str  # timing | format | caveat | nothing | goal | slots | reviews | giant | giant_post
    text: str
    figures: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Comparison:
    account: str
    dimension: str  # weekday | hour_band | format
    group: str
    posts: int
    posts_rest: int
    mean_pct: float
    mean_rest_pct: float
    p: float
    q: float  # Benjamini–Hochberg adjusted
    supported: bool


@dataclass(frozen=True)
class AdviceResult:
    lines: tuple[Advice, ...]
    comparisons: tuple[Comparison, ...]
    window_posts: int
    permutations: int


def band_name(hour: int) -> str:
    start, end = next(b for b in HOUR_BANDS if b[0] <= hour < b[1])
    return f"{start:02d}:00–{end:02d}:00"


Dimension = tuple[str, Callable[[Post, ReportInput], str | None]]
DIMENSIONS: tuple[Dimension, ...] = (
    ("weekday", lambda p, d: WEEKDAYS[p.published_at.astimezone(d.timezone).weekday()]),
    (
        "hour_band",
        lambda p, d: band_name(p.published_at.astimezone(d.timezone).hour) if p.has_time else None,
    ),
    ("format", lambda p, d: (p.format or "").strip().lower() or None),
)


def _describe(dimension: str, group: str) -> str:
    if dimension == "weekday":
        return f"posts on {group}"
    if dimension == "hour_band":
        return f"posts published {group}"
    return f"{group} posts"


def advise(data: ReportInput, figures: Figures) -> AdviceResult:
    posts = window_posts(data)
    comparisons, caveats, permutations = _comparisons(data, posts)
    lines = _timing_and_format(data, comparisons, caveats, len(posts), permutations)
    lines += _goal_line(figures)
    lines += _slot_lines(data, figures)
    lines += _review_lines(data)
    lines += _giants(data, posts)
    return AdviceResult(tuple(lines), tuple(comparisons), len(posts), permutations)


@dataclass(frozen=True)
class _Planned:
    account: str
    dimension: str
    names: list[str]
    values: np.ndarray
    labels: np.ndarray
    levels: list[int]


def _comparisons(
    data: ReportInput, posts: list[Post]
) -> tuple[list[Comparison], list[Advice], int]:
    settings = data.settings
    minimum = settings.min_group_posts
    by_account: dict[str, list[Post]] = defaultdict(list)
    for post in posts:
        if post.engagement_rate is not None:
            by_account[post.account].append(post)
    planned: list[_Planned] = []
    thin: list[tuple[float, Advice]] = []
    for account in sorted(by_account):
        rated = by_account[account]
        if len(rated) < settings.min_account_posts:
            continue
        for dimension, key_of in DIMENSIONS:
            keyed = [(key_of(p, data), p.engagement_rate) for p in rated]
            pairs = [(k, r) for k, r in keyed if k is not None and r is not None]
            names = sorted({k for k, _ in pairs}, key=_order(dimension))
            if len(names) < 2:
                continue
            index = {name: i for i, name in enumerate(names)}
            labels = np.array([index[k] for k, _ in pairs], dtype=np.int64)
            values = np.array([r for _, r in pairs], dtype=np.float64)
            counts = np.bincount(labels, minlength=len(names))
            levels = []
            for level, name in enumerate(names):
                n, rest = int(counts[level]), len(values) - int(counts[level])
                if n >= minimum and rest >= minimum:
                    levels.append(level)
                elif 0 < n < minimum and rest >= minimum:
                    mean, mean_rest = values[labels == level].mean(), values[labels != level].mean()
                    ratio = mean / mean_rest if mean_rest > 0 else 0.0
                    if ratio >= LOOKS_BIG:
                        thin.append((ratio, _thin(account, dimension, name, n, mean, mean_rest)))
            if levels:
                planned.append(_Planned(account, dimension, names, values, labels, levels))
    m = sum(len(p.levels) for p in planned)
    permutations = permutations_for(m, settings.false_discovery_rate)
    raw: list[tuple[_Planned, Any]] = []
    # Plans over the same posts of one account share their shuffles.
    batches: dict[tuple[str, bytes], list[_Planned]] = defaultdict(list)
    for plan in planned:
        batches[(plan.account, plan.values.tobytes())].append(plan)
    for i, batch in enumerate(batches.values()):
        rng = np.random.default_rng([settings.seed, i])
        results = group_tests(
            batch[0].values,
            [(plan.labels, plan.levels) for plan in batch],
            permutations=permutations,
            rng=rng,
        )
        for plan, tests in zip(batch, results, strict=True):
            raw += [(plan, test) for test in tests]
    adjusted = benjamini_hochberg([t.p for _, t in raw])
    comparisons = [
        Comparison(
            account=plan.account,
            dimension=plan.dimension,
            group=plan.names[test.level],
            posts=test.n,
            posts_rest=test.n_rest,
            mean_pct=pct(test.mean) or 0.0,
            mean_rest_pct=pct(test.mean_rest) or 0.0,
            p=round(test.p, 4),
            q=round(q, 4),
            supported=q <= settings.false_discovery_rate,
        )
        for (plan, test), q in zip(raw, adjusted, strict=True)
    ]
    for c in comparisons:
        ratio = c.mean_pct / c.mean_rest_pct if c.mean_rest_pct else 0.0
        if not c.supported and (ratio >= LOOKS_BIG or (ratio and ratio <= 1 / LOOKS_BIG)):
            thin.append((max(ratio, 1 / ratio), _chance(c)))
    thin.sort(key=lambda item: -item[0])
    return comparisons, [a for _, a in thin[:MAX_CAVEATS]], permutations


def _order(dimension: str) -> Callable[[str], Any]:
    if dimension == "weekday":
        return WEEKDAYS.index
    return lambda name: name


def _thin(account: str, dimension: str, group: str, n: int, mean: float, rest: float) -> Advice:
    figures = {
        "account": account,
        "dimension": dimension,
        "group": group,
        "posts": n,
        "mean_pct": pct(float(mean)),
        "mean_rest_pct": pct(float(rest)),
    }
    subject = _describe(dimension, group)
    text = (
        f"{account}: {subject} look strong ({show(figures['mean_pct'])}% engagement against "
        f"{show(figures['mean_rest_pct'])}% for its other posts) but rest on {n} "
        f"post{'s' if n != 1 else ''}: not enough to act on."
    )
    return Advice("caveat", text, figures)


def _chance(c: Comparison) -> Advice:
    looks = "strong" if c.mean_pct > c.mean_rest_pct else "weak"
    text = (
        f"{c.account}: {_describe(c.dimension, c.group)} look {looks} ({show(c.mean_pct)}% "
        f"engagement against {show(c.mean_rest_pct)}%, {c.posts} against {c.posts_rest} posts), "
        f"but a difference this size arises by chance too often to act on "
        f"(adjusted p = {show(c.q)})."
    )
    return Advice("caveat", text, _comparison_figures(c))


def _comparison_figures(c: Comparison) -> dict[str, Any]:
    return {k: v for k, v in c.__dict__.items()}


def _timing_and_format(
    data: ReportInput,
    comparisons: list[Comparison],
    caveats: list[Advice],
    posts: int,
    permutations: int,
) -> list[Advice]:
    settings = data.settings
    days = settings.window_days
    supported = sorted(
        (c for c in comparisons if c.supported),
        key=lambda c: (c.q, -abs(c.mean_pct - c.mean_rest_pct)),
    )
    lines: list[Advice] = []
    m = len(comparisons)
    for c in supported[:MAX_FINDINGS]:
        better = c.mean_pct > c.mean_rest_pct
        kind = "format" if c.dimension == "format" else "timing"
        if kind == "format":
            action = "Use more of them." if better else "Use fewer, or rework them."
        else:
            action = "Schedule more posts there." if better else "Avoid it for key posts."
        text = (
            f"{c.account}: {_describe(c.dimension, c.group)} averaged {show(c.mean_pct)}% "
            f"engagement against {show(c.mean_rest_pct)}% for its other posts ({c.posts} "
            f"against {c.posts_rest} posts in the last {days} days; permutation test, adjusted "
            f"p = {show(c.q)} across {m} comparisons). {action}"
        )
        lines.append(Advice(kind, text, {**_comparison_figures(c), "comparisons": m}))
    if len(supported) > MAX_FINDINGS:
        more = len(supported) - MAX_FINDINGS
        lines.append(
            Advice(
                "timing",
                f"{more} more supported findings are listed in report.json.",
                {"more": more},
            )
        )
    if not supported:
        accounts = len({c.account for c in comparisons})
        if m:
            text = (
                f"No weekday, hour band or format stands out once chance is allowed for ({m} "
                f"comparisons within {accounts} account{'s' if accounts != 1 else ''}, {posts} "
                f"posts in the last {days} days): no timing or format advice this month; the "
                "figures above stand on their own."
            )
        else:
            text = (
                f"Too few posts to compare weekdays, hours or formats ({posts} posts in the last "
                f"{days} days; an account needs {settings.min_account_posts} and each group "
                f"{settings.min_group_posts}): no timing or format advice this month; the "
                "figures above stand on their own."
            )
        lines.append(
            Advice(
                "nothing",
                text,
                {"comparisons": m, "accounts": accounts, "posts": posts, "window_days": days},
            )
        )
    return lines + caveats


_MEASURES = {
    "engagement_rate": "engagement rate",
    "follower_growth": "follower growth",
    "impressions": "impressions",
    "reach": "reach (sum of per-post reach)",
    "on_time": "slots published on time",
}


def goal_phrase(goal: GoalResult) -> str:
    unit = goal.unit
    points = " points" if unit == "%" else ""
    if goal.actual is None:
        return f"{_MEASURES[goal.measure]}: no data (goal {show(goal.target)}{unit})"
    verdict = "met" if goal.met else "missed"
    return (
        f"{_MEASURES[goal.measure]} {show(goal.actual)}{unit} against a goal of "
        f"{show(goal.target)}{unit}: {verdict} by {show(abs(goal.gap or 0))}{points}"
    )


def _goal_line(figures: Figures) -> list[Advice]:
    missed = [
        g
        for g in figures.goals
        if g.met is False and g.scope != "organisation" and g.relative_gap_pct is not None
    ]
    if not missed:
        return []
    worst = min(missed, key=lambda g: (g.relative_gap_pct or 0.0, g.scope))
    now = figures.current(worst.scope)
    text = (
        f"{worst.scope} is furthest below a goal: {goal_phrase(worst)} "
        f"({show(worst.relative_gap_pct)}% of the goal; {now.posts} posts in {now.month}). "
        "Start next month's planning there."
    )
    return [Advice("goal", text, {**worst.__dict__, "posts": now.posts, "month": now.month})]


def _slot_lines(data: ReportInput, figures: Figures) -> list[Advice]:
    trouble = [d for d in figures.departments if d.late or d.missed]
    trouble.sort(key=lambda d: (-d.missed, -d.late, d.department.casefold()))
    month = str(data.month)
    lines = []
    for d in trouble[:MAX_DEPARTMENTS]:
        parts = []
        if d.missed:
            parts.append(f"{d.missed} missed")
        if d.late:
            parts.append(f"{d.late} late")
        text = (
            f"{d.department}: {' and '.join(parts)} of {d.due} slots due in {month}. "
            "Check its contributors' load and reminders."
        )
        lines.append(Advice("slots", text, {**d.__dict__, "due": d.due, "month": month}))
    if len(trouble) > MAX_DEPARTMENTS:
        more = len(trouble) - MAX_DEPARTMENTS
        lines.append(
            Advice(
                "slots",
                f"{more} more departments had late or missed slots (see the slots chart).",
                {"more": more},
            )
        )
    return lines


def _review_lines(data: ReportInput) -> list[Advice]:
    _, end = data.month.bounds_utc(data.timezone)
    start = end - timedelta(days=data.settings.window_days)
    recent = [r for r in data.reviews if start <= r.decided_at < end]
    if len(recent) < data.settings.min_reviews:
        return []
    everyone = one(statistics.median(r.hours for r in recent))
    assert everyone is not None
    by_reviewer: dict[str, list[float]] = defaultdict(list)
    for review in recent:
        by_reviewer[review.reviewer].append(review.hours)
    slow = []
    for reviewer, hours in by_reviewer.items():
        if len(hours) < data.settings.min_reviews:
            continue
        median = one(statistics.median(hours))
        assert median is not None
        if median > everyone * LOOKS_BIG and median - everyone >= 4:
            slow.append((median, reviewer, len(hours)))
    slow.sort(key=lambda item: (-item[0], item[1]))
    lines = []
    days = data.settings.window_days
    for median, reviewer, n in slow[:2]:
        text = (
            f"Drafts reviewed by <@{reviewer}> waited a median {show(median)} h for a decision "
            f"({n} reviews in the last {days} days) against {show(everyone)} h across all "
            f"{len(recent)} reviews. A backup reviewer would shorten the wait."
        )
        figures = {
            "reviewer": reviewer,
            "median_hours": median,
            "reviews": n,
            "median_hours_all": everyone,
            "reviews_all": len(recent),
            "window_days": days,
        }
        lines.append(Advice("reviews", text, figures))
    return lines


def _giants(data: ReportInput, posts: list[Post]) -> list[Advice]:
    settings = data.settings
    minimum = settings.min_group_posts
    reach: dict[str, list[int]] = defaultdict(list)
    for post in posts:
        if post.reach is not None:
            reach[post.account].append(post.reach)
    kinds = {a.ref: a for a in data.accounts}
    lines: list[Advice] = []
    days = settings.window_days
    for index, leader in enumerate(leaders(data)):
        mine = reach.get(leader, [])
        platform = leader.partition(":")[0]
        same = [
            r
            for ref, rs in reach.items()
            if kinds[ref].kind is Kind.ORGANISATION and kinds[ref].platform == platform
            for r in rs
        ]
        label = f"the organisation's {platform} posts"
        caveat = ""
        if len(same) < minimum:
            same = [
                r for ref, rs in reach.items() if kinds[ref].kind is Kind.ORGANISATION for r in rs
            ]
            label = "the organisation's posts on all platforms"
            caveat = " (across platforms, which count reach differently)"
        if not mine or not same:
            continue
        ratio = statistics.median(mine) / max(statistics.median(same), 1)
        if ratio < settings.giant_ratio:
            continue
        figures: dict[str, Any] = {
            "account": leader,
            "median_reach": int(statistics.median(mine)),
            "median_reach_rest": int(statistics.median(same)),
            "ratio": one(ratio),
            "posts": len(mine),
            "posts_rest": len(same),
            "window_days": days,
        }
        if len(mine) < minimum:
            text = (
                f"{leader} looks like a distribution giant (median reach "
                f"{show(figures['median_reach'])} against {show(figures['median_reach_rest'])} "
                f"for {label}) but rests on {len(mine)} posts: not enough to act on."
            )
            lines.append(Advice("caveat", text, figures))
            continue
        rng = np.random.default_rng([settings.seed, 1000 + index])
        low, high = bootstrap_ratio_of_medians(
            np.array(mine, dtype=float), np.array(same, dtype=float), rng=rng
        )
        if low <= 1:
            continue
        figures.update(interval_low=one(low), interval_high=one(high))
        text = (
            f"{leader} is a distribution giant: its posts reached a median "
            f"{show(figures['median_reach'])} people against {show(figures['median_reach_rest'])} "
            f"for {label}{caveat}, {show(figures['ratio'])}× (95% bootstrap interval "
            f"{show(figures['interval_low'])}–{show(figures['interval_high'])}×; "
            f"{len(mine)} and {len(same)} posts in the last {days} days). Ask them to reshare "
            "the organisation's key posts."
        )
        lines.append(Advice("giant", text, figures))
    lines += _giant_posts(data, posts, reach)
    return lines


def _giant_posts(data: ReportInput, posts: list[Post], reach: dict[str, list[int]]) -> list[Advice]:
    settings = data.settings
    month = str(data.month)
    medians = {
        ref: statistics.median(rs)
        for ref, rs in reach.items()
        if len(rs) >= settings.min_account_posts and statistics.median(rs) > 0
    }
    found = []
    for post in posts:
        if (
            post.reach is None
            or post.account not in medians
            or month_of(post.published_at, data) != month
        ):
            continue
        ratio = post.reach / medians[post.account]
        if ratio >= settings.giant_ratio:
            found.append((ratio, post))
    found.sort(key=lambda item: (-item[0], item[1].published_at))
    lines = []
    for ratio, post in found[:2]:
        local = post.published_at.astimezone(data.timezone)
        figures = {
            "account": post.account,
            "url": post.url,
            "published": local.date().isoformat(),
            "reach": post.reach,
            "median_reach": int(medians[post.account]),
            "ratio": one(ratio),
            "posts": len(reach[post.account]),
            "window_days": settings.window_days,
        }
        what = f"“{post.title[:60]}”" if post.title else f"the {post.format} post"
        text = (
            f"On {figures['published']} {what} on {post.account} reached {show(post.reach)}, "
            f"{show(figures['ratio'])}× the account's median of {show(figures['median_reach'])} "
            f"over its {figures['posts']} posts in the last {settings.window_days} days: reshare "
            "it from leaders' profiles and plan more like it."
        )
        lines.append(Advice("giant_post", text, figures))
    return lines
