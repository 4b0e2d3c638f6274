"""`/social`: one slash command, with subcommands. Parses, calls `bot.flows.social`, responds."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from slack_bolt import BoltContext, Respond
from slack_sdk import WebClient

from bot.flows import social, submission
from bot.flows.report import request_report
from bot.organisation.missing import NoOrganisation
from bot.schedule.reader import ScheduleQuery
from bot.schedule.timing import YEARS, Month
from bot.slack.ids import parse_id
from bot.slack.views.common import echo
from bot.slack.views.report import request_ack, request_refused
from handlers.context import slack_of
from handlers.payloads import SlashCommand


@dataclass(frozen=True)
class HelpRequest:
    pass


@dataclass(frozen=True)
class DraftRequest:
    pass


@dataclass(frozen=True)
class HistoryRequest:
    slot_id: int


@dataclass(frozen=True)
class RulesRequest:
    department: str | None


@dataclass(frozen=True)
class ReportRequest:
    month: Month | None
    department: str | None


@dataclass(frozen=True)
class UnknownRequest:
    word: str


@dataclass(frozen=True)
class MalformedRequest:
    """A known subcommand without the argument it needs, or with one it cannot take: say
    what it takes instead."""

    given: str
    usage: str
    problem: str = ""  # what is wrong with `given`, when it is more than unreadable


SocialRequest = (
    HelpRequest
    | ScheduleQuery
    | RulesRequest
    | DraftRequest
    | HistoryRequest
    | ReportRequest
    | UnknownRequest
    | MalformedRequest
)
HISTORY_USAGE = "`/social history #12`, with the number of a slot"
MONTH_USAGE = f"a month as YYYY-MM, from {YEARS.start}-01 to {YEARS.stop - 1}-12"


def parse_social(text: str) -> SocialRequest:
    """`help` | `schedule [department words…] [YYYY-MM]`; an empty command is help."""
    words = text.split()
    if not words or words[0].lower() == "help":
        return HelpRequest()
    if words[0].lower() == "history":
        if len(words) == 1:
            return MalformedRequest("", HISTORY_USAGE)
        slot_id = parse_id(words[1]) if len(words) == 2 else None
        if slot_id is None:
            return MalformedRequest(" ".join(words[1:]), HISTORY_USAGE)
        return HistoryRequest(slot_id)
    if words[0].lower() == "draft":
        return DraftRequest()
    if words[0].lower() == "rules":
        return RulesRequest(" ".join(words[1:]) or None)
    if words[0].lower() == "report":
        rest = words[1:]
        month = Month.parse(rest[0]) if rest else None
        if month is not None:
            rest = rest[1:]
        return ReportRequest(month=month, department=" ".join(rest)[:200] or None)
    if words[0].lower() != "schedule":
        return UnknownRequest(words[0])
    rest = words[1:]
    month = Month.parse(rest[-1]) if rest else None
    if month is not None:
        rest = rest[:-1]
    elif rest and Month.looks_like(rest[-1]):
        return MalformedRequest(rest[-1], MONTH_USAGE, "isn't a valid month")
    return ScheduleQuery(department=" ".join(rest) or None, month=month)


def malformed_answer(request: MalformedRequest) -> str:
    if not request.given:
        return f"Say which one: {request.usage}."
    given = echo(request.given, 40)
    if request.problem:
        return f"`{given}` {request.problem}: use {request.usage}."
    return f"I can't read `{given}`: use {request.usage}."


def handle_social(
    command: dict[str, Any], respond: Respond, client: WebClient, context: BoltContext
) -> None:
    payload = SlashCommand.model_validate(command)
    ctx = slack_of(context, client)
    request = parse_social(payload.text)
    user = payload.user_id
    try:
        if isinstance(request, DraftRequest):
            submission.open_draft_command(ctx, user_id=user, trigger_id=payload.trigger_id)
            return
        if isinstance(request, ReportRequest):
            answer = request_report(
                ctx.runtime, user_id=user, month=request.month, department=request.department
            )
            text = (
                request_ack(answer.month, answer.department)
                if answer.ok
                else request_refused(answer.refusal, answer.overall, answer.unknown_department)
            )
            respond(text=text, response_type="ephemeral")
            return
        if isinstance(request, HelpRequest):
            text, blocks = social.help_for(ctx, user)
        elif isinstance(request, ScheduleQuery):
            text, blocks = social.schedule(ctx, user, request)
        elif isinstance(request, HistoryRequest):
            text, blocks = social.history(ctx, user, request.slot_id)
        elif isinstance(request, RulesRequest):
            text, blocks = social.rules(ctx, user, request.department)
        elif isinstance(request, MalformedRequest):
            text, blocks = malformed_answer(request), []
        else:
            text, blocks = f"I don't know `{echo(request.word, 40)}`. Try `/social help`.", []
    except NoOrganisation:
        text, blocks = social.NOT_SET_UP, []
    respond(text=text, blocks=blocks or None, response_type="ephemeral")
