"""The report in Block Kit: the headline message, and the advice in its thread. Lines are
packed into sections within Slack's limits whatever the number of accounts and departments;
names from the organisation file are escaped, mentions of reviewers kept."""

from __future__ import annotations

from typing import Any

from bot.report.access import ReportRefusal
from bot.report.advice import Advice
from bot.report.model import Report
from bot.slack.views.common import (
    MAX_MESSAGE_BLOCKS,
    Block,
    context,
    escape,
    header,
    pack_lines,
    section,
)

MAX_TEXT = 3000  # top-level `text` fallback


def _slack(line: Advice) -> str:
    text = escape(line.text)
    reviewer = line.figures.get("reviewer")
    if line.kind == "reviews" and isinstance(reviewer, str):
        text = text.replace(escape(f"<@{reviewer}>"), f"<@{reviewer}>")
    return text


def _sections(title: str, groups: list[tuple[str, list[Advice]]], note: str) -> list[Block]:
    blocks: list[Block] = [header(title)]
    budget = MAX_MESSAGE_BLOCKS - 2  # header and the closing context
    for heading, lines in groups:
        shown = [f"*{heading}*"] + [f"• {_slack(line)}" for line in lines or []]
        if not lines:
            shown.append("• Nothing to report.")
        remaining = budget - len(blocks) + 1
        if remaining <= 0:
            break
        packed, left = pack_lines(shown, remaining)
        blocks += packed
        if left:
            blocks[-1] = section(
                blocks[-1]["text"]["text"][:2900] + f"\n… and {left} more lines in report.md"
            )
            break
    blocks.append(context(note))
    return blocks[:MAX_MESSAGE_BLOCKS]


def report_message(report: Report) -> tuple[str, list[dict[str, Any]]]:
    sections = report.sections()
    groups = [(heading, lines) for heading, lines in sections if heading != "Advice for next month"]
    text = escape(report.title)
    first = next((line for line in report.headline), None)
    if first is not None:
        text += ": " + escape(first.text)
    blocks = _sections(
        escape(report.title), groups, "Charts and advice for next month follow in this thread."
    )
    return text[:MAX_TEXT], blocks


def advice_message(report: Report) -> tuple[str, list[dict[str, Any]]]:
    lines = list(report.advice.lines)
    blocks = _sections(
        "Advice for next month",
        [("What the figures support", lines)],
        escape(" ".join(report.method()))[:2900],
    )
    return f"Advice for next month ({len(lines)} lines)", blocks


def request_ack(month: str, department: str | None) -> str:
    scope = f" for {escape(department)}" if department else ""
    return (
        f"I'm putting together the {month} report{scope}. It will arrive in your DM with me "
        "in a few minutes."
    )


def request_refused(
    refusal: ReportRefusal | None, overall: tuple[str, ...], unknown_department: str | None
) -> str:
    if unknown_department is not None:
        return f"There's no department called “{escape(unknown_department[:80])}”."
    who = ", ".join(f"<@{u}>" for u in overall[:5]) or "an overall coordinator"
    return {
        ReportRefusal.NOT_ALLOWED: "The monthly report is for the overall coordinators, each "
        "department's coordinators (for their department) and the leadership named in the "
        f"organisation file. Ask {who} if you need it.",
        ReportRefusal.OTHER_DEPARTMENT: "You can ask for the report of the departments you "
        f"coordinate. For others, ask {who}.",
        ReportRefusal.CHOOSE_DEPARTMENT: "You coordinate more than one department: name one, "
        "e.g. `/social report 2027-01 Marketing`.",
    }.get(refusal or ReportRefusal.NOT_ALLOWED, "")
