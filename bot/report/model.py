"""The report: its sections of lines (each with the figures it states), as Markdown and JSON.

Every line is written once, from rounded values; report.md, report.json and the Slack messages
are renderings of the same lines, so a number in the text is always the one in the JSON."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

from bot.report.advice import Advice, AdviceResult, advise, goal_phrase
from bot.report.figures import Figures, compute_figures
from bot.report.inputs import ReportInput
from bot.report.numbers import change_pct, one, show, signed

CHART_NAMES = (
    "impressions",
    "engagement",
    "engagement_goal",
    "followers",
    "leaders",
    "slots",
    "turnaround",
    "top_posts",
)


@dataclass(frozen=True)
class Report:
    data: ReportInput
    figures: Figures
    advice: AdviceResult
    headline: tuple[Advice, ...]
    goals: tuple[Advice, ...]

    @property
    def month(self) -> str:
        return str(self.data.month)

    @property
    def title(self) -> str:
        scope = f" · {self.data.department}" if self.data.department else ""
        name = f"{self.data.organisation}: " if self.data.organisation else ""
        return f"{name}social media report, {self.data.month.title}{scope}"

    def sections(self) -> list[tuple[str, list[Advice]]]:
        """The posted text: the headline message's sections, then the advice in the thread."""
        return [
            ("Headline", list(self.headline)),
            ("Goals", list(self.goals)),
            ("Advice for next month", list(self.advice.lines)),
        ]

    def markdown(self) -> str:
        out = [f"# {self.title}", ""]
        for heading, lines in self.sections():
            out += [f"## {heading}", ""]
            out += [f"- {line.text}" for line in lines] or ["- Nothing to report."]
            out.append("")
        out += ["## Method", "", *[f"- {line}" for line in self.method()], ""]
        return "\n".join(out)

    def method(self) -> list[str]:
        s = self.data.settings
        return [
            "Engagement rate = interactions ÷ impressions; interactions = reactions/likes + "
            "comments/replies + shares/reposts + saves/bookmarks (clicks are not counted).",
            "Each platform counts impressions and reach its own way; totals across platforms "
            "are labelled as such.",
            f"Advice rests on the posts of the last {s.window_days} days up to the month's end "
            f"({self.advice.window_posts} posts), compares posts within one account only, needs "
            f"{s.min_group_posts} posts in each group and {s.min_account_posts} per account, and "
            f"uses a permutation test ({self.advice.permutations} shuffles, seed {s.seed}) with "
            f"the Benjamini–Hochberg correction at {show(s.false_discovery_rate)} across "
            f"{len(self.advice.comparisons)} comparisons.",
        ]

    def to_json(self) -> dict[str, Any]:
        s = self.data.settings
        return {
            "title": self.title,
            "month": self.month,
            "organisation": self.data.organisation,
            "department": self.data.department,
            "timezone": self.data.timezone.key,
            "settings": asdict(s),
            "inputs": {
                "accounts": [asdict(a) for a in self.data.accounts],
                "posts": len(self.data.posts),
                "account_days": len(self.data.days),
                "slots": len(self.data.slots),
                "reviews": len(self.data.reviews),
                "window_posts": self.advice.window_posts,
                "permutations": self.advice.permutations,
            },
            "sections": {
                heading: [asdict(line) for line in lines] for heading, lines in self.sections()
            },
            "months": list(self.figures.months),
            "series": {
                ref: [asdict(row) for row in rows] for ref, rows in self.figures.series.items()
            },
            "total_impressions": {
                "value": self.figures.total_impressions,
                "previous": self.figures.total_impressions_before,
                "change_pct": self.figures.total_change_pct,
                "note": "summed across platforms, which count impressions differently",
            },
            "goals": [asdict(g) for g in self.figures.goals],
            "departments": [{**asdict(d), "due": d.due} for d in self.figures.departments],
            "turnaround": [asdict(t) for t in self.figures.turnaround],
            "top_posts": [asdict(p) for p in self.figures.top_posts],
            "comparisons": [asdict(c) for c in self.advice.comparisons],
            "charts": [f"{name}.png" for name in CHART_NAMES],
        }

    def json_text(self) -> str:
        return json.dumps(self.to_json(), indent=2, ensure_ascii=False, default=str) + "\n"


def build_report(data: ReportInput) -> Report:
    figures = compute_figures(data)
    return Report(
        data=data,
        figures=figures,
        advice=advise(data, figures),
        headline=tuple(_headline(data, figures)),
        goals=tuple(_goal_lines(figures)),
    )


def _headline(data: ReportInput, figures: Figures) -> list[Advice]:
    previous = figures.months[-2]
    lines: list[Advice] = []
    platforms = sorted({a.platform for a in data.accounts})
    if figures.total_impressions is not None:
        text = (
            f"{show(figures.total_impressions)} impressions in {data.month.title}, summed across "
            f"{len(platforms)} platform{'s' if len(platforms) != 1 else ''} (each counts "
            f"impressions its own way): {signed(figures.total_change_pct)} on {previous}."
        )
        lines.append(
            Advice(
                "headline",
                text,
                {
                    "impressions": figures.total_impressions,
                    "previous": figures.total_impressions_before,
                    "change_pct": figures.total_change_pct,
                    "platforms": len(platforms),
                    "platform_names": platforms,
                },
            )
        )
    for account in data.accounts:
        now, before = figures.current(account.ref), figures.previous(account.ref)
        if now.impressions is None and now.posts == 0:
            lines.append(
                Advice(
                    "headline", f"{account.ref}: no data for {now.month}.", {"account": account.ref}
                )
            )
            continue
        imp_change = change_pct(now.impressions, before.impressions)
        rate_change = (
            one(now.engagement_rate_pct - before.engagement_rate_pct)
            if now.engagement_rate_pct is not None and before.engagement_rate_pct is not None
            else None
        )
        rate = (
            f"engagement rate {show(now.engagement_rate_pct)}% ({signed(rate_change, ' points')})"
            if now.engagement_rate_pct is not None
            else "engagement rate: no data"
        )
        text = (
            f"{account.ref} ({account.kind.value}): {show(now.impressions)} impressions "
            f"({signed(imp_change)} on {previous}), {rate}, {now.posts} posts."
        )
        lines.append(
            Advice(
                "headline",
                text,
                {
                    "account": account.ref,
                    "impressions": now.impressions,
                    "impressions_previous": before.impressions,
                    "impressions_change_pct": imp_change,
                    "engagement_rate_pct": now.engagement_rate_pct,
                    "engagement_rate_previous_pct": before.engagement_rate_pct,
                    "engagement_rate_change_points": rate_change,
                    "posts": now.posts,
                },
            )
        )
    return lines


def _goal_lines(figures: Figures) -> list[Advice]:
    lines = []
    for goal in figures.goals:
        note = f" ({goal.note})" if goal.note and goal.note != "no data" else ""
        lines.append(
            Advice("goal_status", f"{goal.scope}: {goal_phrase(goal)}{note}.", asdict(goal))
        )
    return lines
