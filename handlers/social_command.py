"""`/social`: one slash command, with subcommands. Parses, calls the domain, renders."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from slack_bolt import BoltContext, Respond
from slack_sdk import WebClient

from bot.flows.report import request_report
from bot.organisation.directory import NoOrganisation
from bot.people import timezone_of
from bot.runtime import Runtime
from bot.schedule.reader import ScheduleAnswer, ScheduleQuery, schedule_for
from bot.schedule.rules import rules_for
from bot.schedule.timing import Month
from bot.slack.views.report import request_ack, request_refused
from handlers.context import runtime_of
from handlers.draft_command import open_draft_command
from handlers.payloads import SlashCommand
from handlers.views.help import help_message
from handlers.views.history import history_message
from handlers.views.rules import rules_message
from handlers.views.schedule import refusal_message, schedule_message
from storage.models import Slot
from storage.repositories.slots import history as slot_history


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


SocialRequest = (
    HelpRequest
    | ScheduleQuery
    | RulesRequest
    | DraftRequest
    | HistoryRequest
    | ReportRequest
    | UnknownRequest
)


def parse_social(text: str) -> SocialRequest:
    """`help` | `schedule [department words…] [YYYY-MM]`; an empty command is help."""
    words = text.split()
    if not words or words[0].lower() == "help":
        return HelpRequest()
    if words[0].lower() == "history" and len(words) == 2 and words[1].lstrip("#").isdigit():
        return HistoryRequest(int(words[1].lstrip("#")))
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
    return ScheduleQuery(department=" ".join(rest) or None, month=month)


def handle_social(
    command: dict[str, Any], respond: Respond, client: WebClient, context: BoltContext
) -> None:
    payload = SlashCommand.model_validate(command)
    runtime = runtime_of(context)
    request = parse_social(payload.text)
    try:
        if isinstance(request, HelpRequest):
            with runtime.session() as session:
                directory = runtime.organisation(session)
            roles = directory.roles(payload.user_id)
            text, blocks = help_message(roles, list(directory.overall_coordinators))
            respond(text=text, blocks=blocks, response_type="ephemeral")
        elif isinstance(request, ScheduleQuery):
            with runtime.session() as session:
                answer = schedule_for(
                    session=session,
                    directory=runtime.organisation(session),
                    user_id=payload.user_id,
                    query=request,
                    now=runtime.now(),
                )
            if isinstance(answer, ScheduleAnswer):
                tz = timezone_of(
                    runtime=runtime,
                    client=client,
                    user_id=payload.user_id,
                    fallback=answer.org_timezone,
                )
                text, blocks = schedule_message(answer, tz)
                respond(text=text, blocks=blocks, response_type="ephemeral")
            else:
                respond(text=refusal_message(answer), response_type="ephemeral")
        elif isinstance(request, HistoryRequest):
            _history(runtime, client, respond, payload.user_id, request.slot_id)
        elif isinstance(request, DraftRequest):
            with runtime.session() as session:
                fallback = runtime.organisation(session).timezone
            tz = timezone_of(
                runtime=runtime, client=client, user_id=payload.user_id, fallback=fallback
            )
            open_draft_command(runtime, client, payload.user_id, payload.trigger_id, tz)
        elif isinstance(request, RulesRequest):
            _rules(runtime, client, respond, payload.user_id, request)
        elif isinstance(request, ReportRequest):
            answer = request_report(
                runtime, user_id=payload.user_id, month=request.month, department=request.department
            )
            if answer.ok:
                respond(
                    text=request_ack(answer.month, answer.department), response_type="ephemeral"
                )
            else:
                respond(
                    text=request_refused(answer.refusal, answer.overall, answer.unknown_department),
                    response_type="ephemeral",
                )
        else:
            respond(
                text=f"I don't know `{request.word[:40]}`. Try `/social help`.",
                response_type="ephemeral",
            )
    except NoOrganisation:
        respond(
            text="socialbot isn't set up yet: an operator needs to load the organisation "
            "file first.",
            response_type="ephemeral",
        )


def _rules(
    runtime: Runtime, client: WebClient, respond: Respond, user_id: str, request: RulesRequest
) -> None:
    with runtime.session() as session:
        directory = runtime.organisation(session)
        roles = directory.roles(user_id)
        mine = directory.sorted_ids() if roles.overall else directory.sorted_ids(roles.coordinates)
        if request.department is not None:
            wanted = directory.department_named(request.department)
            mine = [wanted] if wanted is not None and wanted in mine else []
        if not mine:
            respond(
                text="Recurring rules are for a department's coordinators and the overall "
                "coordinators. Nothing to show you here.",
                response_type="ephemeral",
            )
            return
        views = rules_for(session=session, department_ids=mine, now=runtime.now())
    tz = timezone_of(runtime=runtime, client=client, user_id=user_id, fallback=directory.timezone)
    text, blocks = rules_message(views, tz)
    respond(text=text, blocks=blocks, response_type="ephemeral")


def _history(
    runtime: Runtime, client: WebClient, respond: Respond, user_id: str, slot_id: int
) -> None:
    """Anyone in the programme can see what happened to a slot, and when."""
    with runtime.session() as session:
        directory = runtime.organisation(session)
        slot = session.get(Slot, slot_id)
        events = list(slot_history(session, slot_id)) if slot else []
    if not directory.roles(user_id).is_member:
        respond(text="Slot histories are for people in the programme.", response_type="ephemeral")
        return
    if slot is None:
        respond(text=f"There's no slot #{slot_id}.", response_type="ephemeral")
        return
    tz = timezone_of(runtime=runtime, client=client, user_id=user_id, fallback=directory.timezone)
    text, blocks = history_message(slot, events, tz)
    respond(text=text, blocks=blocks, response_type="ephemeral")
