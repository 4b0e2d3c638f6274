"""The report's text, JSON and charts: numbers in the text are the JSON's; charts readable at
30 departments and 10 accounts; no data is said, not drawn as zero."""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.report.inputs import Account, Goals, Kind, ReviewRecord, SlotRecord, Targets
from bot.report.model import CHART_NAMES, build_report
from bot.testing.report_data import Plan, generate

# Dates, month titles, account names and mentions carry digits that are not figures.
MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
MONTH_OR_NAME = rf"<@U[0-9A-Z]+>|\d{{4}}-\d{{2}}(-\d{{2}})?|(?:{MONTHS}) \d{{4}}|\b\w+:[\w-]+\b"
PLATFORMS = ("linkedin", "x", "facebook", "instagram", "mastodon", "bluesky")


def _numbers(value: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(value, dict):
        for item in value.values():
            found |= _numbers(item)
    elif isinstance(value, list):
        for item in value:
            found |= _numbers(item)
    elif isinstance(value, bool):
        pass
    elif isinstance(value, int | float):
        found.add(str(value))
        found.add(str(abs(value)))
    return found


def _big_input() -> Any:
    accounts = tuple(
        Account(
            f"{PLATFORMS[i % 6]}:account-with-a-long-handle-{i}",
            Kind.LEADER if i >= 7 else Kind.ORGANISATION,
            f"Department number {i}",
        )
        for i in range(10)
    )
    departments = tuple(f"Department number {i} of the organisation" for i in range(30))
    start = datetime(2027, 1, 4, 10, tzinfo=UTC)
    slots = tuple(
        SlotRecord(d, start + timedelta(days=j), start + timedelta(days=j, hours=j % 3 - 1))
        for i, d in enumerate(departments)
        for j in range(i % 6)
    )
    reviews = tuple(
        ReviewRecord(d, f"U0R{i}", start, start + timedelta(hours=i + 1))
        for i, d in enumerate(departments[:25])
    )
    data = generate(
        Plan(
            accounts=accounts,
            departments=departments,
            slots=slots,
            reviews=reviews,
            posts_per_day=0.6,
            goals=Goals(Targets(engagement_rate=0.02, follower_growth=0.03), on_time=0.9),
        )
    )
    silent = accounts[3].ref
    return replace(
        data,
        posts=tuple(p for p in data.posts if p.account != silent),
        days=tuple(d for d in data.days if d.account != silent),
    )


def test_every_number_in_the_text_is_in_the_json() -> None:
    report = build_report(_big_input())
    document = json.loads(report.json_text())
    known = _numbers(document["sections"])
    for heading, lines in report.sections():
        for line in lines:
            text = line.text
            for name in report.data.departments:
                text = text.replace(name, " ")
            text = re.sub(MONTH_OR_NAME, " ", text)
            text = re.sub(r"(?<=\d),(?=\d{3})", "", text)
            for number in re.findall(r"\d+(?:\.\d+)?", text):
                assert number in known, (heading, number, line.text)


def test_an_account_without_data_is_said_to_have_none() -> None:
    report = build_report(_big_input())
    texts = [line.text for line in report.headline]
    assert "instagram:account-with-a-long-handle-3: no data for 2027-01." in texts
    goal = next(g for g in report.goals if g.text.startswith("instagram:"))
    assert "no data" in goal.text
    document = report.to_json()
    assert document["series"]["instagram:account-with-a-long-handle-3"][-1]["impressions"] is None


def test_markdown_holds_every_posted_line() -> None:
    report = build_report(_big_input())
    markdown = report.markdown()
    for _, lines in report.sections():
        for line in lines:
            assert f"- {line.text}" in markdown


def test_charts_have_titles_axes_and_no_overlapping_labels() -> None:
    from matplotlib.figure import Figure

    from bot.report import charts

    report = build_report(_big_input())
    drawn: list[Figure] = []
    original = charts._png

    def keep(figure: Figure) -> bytes:
        drawn.append(figure)
        return original(figure)

    charts._png = keep  # type: ignore[assignment]
    try:
        rendered = charts.render_charts(report)
    finally:
        charts._png = original  # type: ignore[assignment]
    assert [c.name for c in rendered] == list(CHART_NAMES)
    for chart, figure in zip(rendered, drawn, strict=True):
        assert chart.png.startswith(b"\x89PNG")
        axes = figure.axes[0]
        assert axes.get_title() and axes.get_xlabel(), chart.name
        renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
        labels = [t for t in axes.get_yticklabels() if t.get_text()]
        boxes = [t.get_window_extent(renderer) for t in labels]
        for a, b in itertools.pairwise(boxes):
            assert not a.overlaps(b), (chart.name, labels)
        figure_box = figure.bbox
        for box in boxes:
            assert box.x0 >= figure_box.x0 - 1, chart.name  # not cut off on the left
    slots = drawn[CHART_NAMES.index("slots")]
    assert len(slots.axes[0].get_yticklabels()) == 30
    missing = drawn[CHART_NAMES.index("impressions")]
    assert "instagram:account-with-a-long-handle-3" in missing._supxlabel.get_text()  # type: ignore[union-attr]
