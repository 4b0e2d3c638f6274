"""`/social help`: what the bot does and every command, for this person's role."""

from __future__ import annotations

from dataclasses import dataclass

from bot.organisation.roles import Role, Roles
from bot.slack.views.access import HELP_SECTION as ACCESS_SECTION
from bot.slack.views.common import Block, context, header, mention, section


@dataclass(frozen=True)
class CommandHelp:
    usage: str
    description: str
    roles: frozenset[Role]


EVERYONE = frozenset(Role)
COORDINATORS = frozenset({Role.COORDINATOR, Role.OVERALL_COORDINATOR})

COMMANDS: tuple[CommandHelp, ...] = (
    CommandHelp("/social help", "This message.", EVERYONE),
    CommandHelp(
        "/social schedule [department] [YYYY-MM]",
        "A month of slots with their status and contributor. Defaults to your own "
        "department(s) and this month.",
        EVERYONE,
    ),
    CommandHelp(
        "/social history #id",
        "Everything that happened to one slot (its #id is in the schedule).",
        EVERYONE,
    ),
    CommandHelp(
        "/social draft",
        "Submit a draft for one of your posts, or a new post outside the schedule.",
        frozenset({Role.CONTRIBUTOR, Role.COORDINATOR}),
    ),
    CommandHelp(
        "/social rules [department]",
        "Recurring posts and their next dates; reassign or skip any of them.",
        COORDINATORS,
    ),
)

ROLE_INTRO = {
    Role.CONTRIBUTOR: "You're a *contributor*: I remind you before your posts are due (09:00 "
    "your time). Reply in the reminder's thread with your draft, or use its buttons to "
    "snooze or hand a post back. Your Home tab lists what's coming up.",
    Role.COORDINATOR: "You're a *department coordinator*: you keep your department's "
    "contributors on schedule and check every post before it goes out. Your Home tab shows "
    "your department's month at a glance.",
    Role.OVERALL_COORDINATOR: "You're an *overall coordinator*: you run the programme, build "
    "the annual schedule and see every department. Operators load the organisation file and "
    "schedules with `python -m bot org load` and `python -m bot schedule import`.",
}


def help_message(roles: Roles, contacts: list[str]) -> tuple[str, list[Block]]:
    blocks: list[Block] = [
        header("socialbot: your social media programme, in Slack"),
        section(
            "socialbot keeps the organisation's posting schedule, reminds contributors before "
            "posts are due, routes drafts to coordinators for review, looks after account "
            "access and reports reach to leadership every month."
        ),
    ]
    role = roles.headline
    if role is None:
        who = ", ".join(mention(u) for u in contacts) or "an overall coordinator"
        blocks.append(section(f"You're not part of the programme yet. Ask {who} to add you."))
        return "socialbot help", blocks
    blocks.append(section(ROLE_INTRO[role]))
    available = [c for c in COMMANDS if c.roles & _held(roles)]
    blocks.append(section("\n".join(f"`{c.usage}`: {c.description}" for c in available)))
    blocks.append(section(ACCESS_SECTION))
    blocks.append(context("Open the bot's *Home* tab for your own overview."))
    return "socialbot help", blocks


def _held(roles: Roles) -> frozenset[Role]:
    held = set()
    if roles.overall:
        held.add(Role.OVERALL_COORDINATOR)
    if roles.coordinates:
        held.add(Role.COORDINATOR)
    if roles.contributes:
        held.add(Role.CONTRIBUTOR)
    return frozenset(held)
