"""The report's charts as PNG bytes (matplotlib, Agg, no pyplot state).

Imported only by the worker and the CLI (bot/report/produce.py): the web process never loads
matplotlib. Every chart has a title, units, labelled axes and the Okabe–Ito palette (safe for
colour-blind readers); bar charts are horizontal and grow with their number of rows, so 30
departments or 10 accounts never overlap; a series without data is named in a note rather than
drawn as zero."""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from statistics import median

# The Agg canvas is attached to each Figure directly: no pyplot, no global backend state.
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator, PercentFormatter

from bot.report.figures import AccountMonth, TopPost, window_posts
from bot.report.model import Report

OKABE_ITO = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#D55E00",  # vermillion
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#F0E442",  # yellow
    "#000000",  # black
)
LINESTYLES = ("-", "--", ":", "-.")
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
WIDTH = 10.0
DPI = 110


@dataclass(frozen=True)
class Chart:
    name: str  # file stem
    title: str
    png: bytes


def _figure(rows: int = 0) -> Figure:
    height = max(4.0, 1.8 + 0.34 * rows)
    figure = Figure(figsize=(WIDTH, height), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _note(figure: Figure, missing: Sequence[str], what: str = "no data") -> None:
    if missing:
        shown = ", ".join(missing[:6]) + (
            f" and {len(missing) - 6} more" if len(missing) > 6 else ""
        )
        figure.supxlabel(f"{what.capitalize()}: {shown}", fontsize=8, color="#555555")


def _style(index: int) -> dict[str, object]:
    return {
        "color": OKABE_ITO[index % len(OKABE_ITO)],
        "linestyle": LINESTYLES[(index // len(OKABE_ITO)) % len(LINESTYLES)],
        "marker": MARKERS[index % len(MARKERS)],
        "markersize": 4,
    }


def _thousands(value: float, _: object) -> str:
    if abs(value) >= 1_000_000:
        return f"{value / 1_000_000:.1f}M"
    if abs(value) >= 1_000:
        return f"{value / 1_000:.0f}k"
    return f"{value:.0f}"


def _lines(
    report: Report,
    title: str,
    ylabel: str,
    value: Callable[[AccountMonth], float | None],
    percent: bool,
) -> bytes:
    figures = report.figures
    figure = _figure()
    axes = figure.add_subplot()
    months = list(figures.months)
    missing = []
    drawn = 0
    for index, (ref, rows) in enumerate(figures.series.items()):
        values = [value(row) for row in rows]
        if all(v is None for v in values):
            missing.append(ref)
            continue
        ys = [math.nan if v is None else v for v in values]
        axes.plot(months, ys, label=ref, **_style(index))  # type: ignore[arg-type]
        drawn += 1
    axes.set_title(title)
    axes.set_xlabel("month")
    axes.set_ylabel(ylabel)
    axes.tick_params(axis="x", labelrotation=45)
    axes.yaxis.set_major_formatter(
        PercentFormatter(decimals=1) if percent else FuncFormatter(_thousands)
    )
    axes.grid(alpha=0.3)
    if drawn:
        axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8, frameon=False)
    else:
        axes.text(0.5, 0.5, "No data for any account", ha="center", transform=axes.transAxes)
    _note(figure, missing, "no data for")
    return _png(figure)


def _hbars(
    title: str,
    xlabel: str,
    labels: Sequence[str],
    values: Sequence[float | None],
    *,
    percent: bool = False,
    targets: Sequence[float | None] | None = None,
    colours: Sequence[str] | None = None,
    legend: Sequence[tuple[str, str]] = (),
) -> bytes:
    figure = _figure(len(labels))
    axes = figure.add_subplot()
    ys = list(range(len(labels)))
    shown = [0.0 if v is None else v for v in values]
    bars = axes.barh(ys, shown, color=list(colours or [OKABE_ITO[0]] * len(labels)), height=0.6)
    top = max([v for v in shown] + [t for t in (targets or []) if t is not None] + [0.0]) or 1.0
    for bar, value in zip(bars, values, strict=True):
        if value is None:
            axes.text(
                top * 0.01,
                bar.get_y() + bar.get_height() / 2,
                "no data",
                va="center",
                fontsize=8,
                color="#555555",
            )
        else:
            text = f"{value:.2f}%" if percent else f"{value:,.1f}".removesuffix(".0")
            axes.text(
                value + top * 0.01,
                bar.get_y() + bar.get_height() / 2,
                text,
                va="center",
                fontsize=8,
            )
    if targets is not None:
        for y, target in zip(ys, targets, strict=True):
            if target is not None:
                axes.plot([target, target], [y - 0.4, y + 0.4], color=OKABE_ITO[3], linewidth=2)
        axes.plot([], [], color=OKABE_ITO[3], linewidth=2, label="goal")
    for colour, name in legend:
        axes.barh([], [], color=colour, label=name)
    if targets is not None or legend:
        axes.legend(loc="lower right", fontsize=8)
    axes.set_yticks(ys, labels=list(labels), fontsize=8)
    axes.invert_yaxis()
    axes.set_xlim(0, top * 1.15)
    axes.set_title(title)
    axes.set_xlabel(xlabel)
    if percent:
        axes.xaxis.set_major_formatter(PercentFormatter(decimals=1))
    axes.grid(axis="x", alpha=0.3)
    if not labels:
        axes.text(0.5, 0.5, "No data", ha="center", transform=axes.transAxes)
    return _png(figure)


def _slots(report: Report) -> bytes:
    departments = list(report.figures.departments)
    figure = _figure(len(departments))
    axes = figure.add_subplot()
    ys = list(range(len(departments)))
    left = [0] * len(departments)
    parts = (
        ("on time", "on_time", 2),
        ("late", "late", 1),
        ("missed", "missed", 3),
        ("still planned", "planned", 5),
    )
    for label, attribute, colour in parts:
        widths = [getattr(d, attribute) for d in departments]
        axes.barh(ys, widths, left=left, color=OKABE_ITO[colour], height=0.6, label=label)
        left = [a + b for a, b in zip(left, widths, strict=True)]
    for y, total in zip(ys, left, strict=True):
        if total == 0:
            axes.text(0.05, y, "no slots this month", va="center", fontsize=8, color="#555555")
    axes.set_yticks(ys, labels=[d.department for d in departments], fontsize=8)
    axes.invert_yaxis()
    axes.set_title(f"Slots per department, {report.data.month.title}")
    axes.set_xlabel("slots due in the month")
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8, frameon=False)
    axes.grid(axis="x", alpha=0.3)
    return _png(figure)


def render_charts(report: Report) -> list[Chart]:
    f = report.figures
    month = report.data.month.title
    refs = list(f.series)
    kinds = {a.ref: a.kind.value for a in report.data.accounts}
    labels = [f"{ref} ({kinds[ref]})" for ref in refs]
    er_targets = [
        next((g.target for g in f.goals if g.scope == ref and g.measure == "engagement_rate"), None)
        for ref in refs
    ]
    fg_targets = [
        next((g.target for g in f.goals if g.scope == ref and g.measure == "follower_growth"), None)
        for ref in refs
    ]
    reach = _median_reach(report)
    charts = [
        Chart(
            "impressions",
            "Impressions per account, last 12 months",
            _lines(
                report,
                "Impressions per account, last 12 months (each platform's own count)",
                "impressions per month",
                lambda r: r.impressions,
                percent=False,
            ),
        ),
        Chart(
            "engagement",
            "Engagement rate per account, last 12 months",
            _lines(
                report,
                "Engagement rate per account, last 12 months",
                "interactions ÷ impressions (%)",
                lambda r: r.engagement_rate_pct,
                percent=True,
            ),
        ),
        Chart(
            "engagement_goal",
            f"Engagement rate against goal, {month}",
            _hbars(
                f"Engagement rate against goal, {month}",
                "interactions ÷ impressions (%)",
                labels,
                [f.current(r).engagement_rate_pct for r in refs],
                percent=True,
                targets=er_targets,
            ),
        ),
        Chart(
            "followers",
            f"Follower growth, {month}",
            _hbars(
                f"Follower growth, {month}",
                "new followers ÷ followers at the month's start (%)",
                labels,
                [f.current(r).follower_growth_pct for r in refs],
                percent=True,
                targets=fg_targets,
            ),
        ),
        Chart(
            "leaders",
            "Organisation accounts beside leaders' profiles",
            _hbars(
                f"Median reach per post, last {report.data.settings.window_days} days: "
                "organisation accounts and leaders",
                "people reached per post (each platform's own count)",
                labels,
                [reach.get(r) for r in refs],
                colours=[OKABE_ITO[1] if kinds[r] == "leader" else OKABE_ITO[0] for r in refs],
                legend=((OKABE_ITO[0], "organisation"), (OKABE_ITO[1], "leader")),
            ),
        ),
        Chart("slots", f"Slots per department, {month}", _slots(report)),
        Chart(
            "turnaround",
            f"Review turnaround, {month}",
            _hbars(
                f"Review turnaround (submitted → decided), {month}",
                "median hours",
                [f"{t.name} ({t.reviews} reviews)" for t in f.turnaround],
                [t.median_hours for t in f.turnaround],
            ),
        ),
        Chart(
            "top_posts",
            f"Top posts, {month}",
            _hbars(
                f"Top posts by interactions, {month}",
                "interactions",
                [_post_label(p) for p in f.top_posts],
                [float(p.interactions) for p in f.top_posts],
            ),
        ),
    ]
    return charts


def _post_label(p: TopPost) -> str:
    title = (p.title or p.url or "")[:32]
    return f"{p.account} · {p.published_at[:10]} · {p.format} · {title}"


def _median_reach(report: Report) -> dict[str, float]:
    by: dict[str, list[int]] = {}
    for post in window_posts(report.data):
        if post.reach is not None:
            by.setdefault(post.account, []).append(post.reach)
    return {ref: float(median(values)) for ref, values in by.items()}
