"""The one welcome a person gets when they join the programme: what socialbot will ask of
them, by role."""

from __future__ import annotations

from bot.organisation.welcome import Welcome
from bot.slack.views.common import Block, context, escape, header, mention, section


def _names(names: tuple[str, ...]) -> str:
    return ", ".join(f"*{escape(n)}*" for n in names)


def welcome_message(welcome: Welcome) -> tuple[str, list[Block]]:
    roles = welcome.roles
    parts: list[str] = []
    if roles.overall:
        parts.append(
            ":earth_africa: *You're an overall coordinator.* You see every department's month "
            "in the *Home* tab, get a weekly digest of long-late posts on Mondays, make the "
            "second approval of posts on leaders' accounts, and can act on any post."
        )
    if welcome.coordinates:
        parts.append(
            f":clipboard: *You coordinate {_names(welcome.coordinates)}.* Drafts come to the "
            "department's review channel: *Approve*, *Request changes* or *Reject* in the "
            "thread. You hear the day a post goes late, with *Remind again*, *Reassign* and "
            "*Cancel*. In the *Home* tab: *Add a post*, and *Edit*, *Move* or *Reassign* any "
            "slot."
        )
    if welcome.backs_up:
        parts.append(
            f":handshake: *You back up the coordinators of {_names(welcome.backs_up)}:* "
            "you're asked to decide on drafts while they're away."
        )
    if welcome.contributes:
        parts.append(
            f":pencil2: *You write posts for {_names(welcome.contributes)}.* Before each post "
            "is due you get a reminder here. *Reply in its thread* with the text (and images): "
            "that's your draft. Or use *Submit draft*, *Snooze* or *Can't do it*. Feedback "
            "comes back in the same thread."
        )
    who = ", ".join(mention(u) for u in welcome.contacts) or "your coordinator"
    text = "Welcome to socialbot: here's what it will ask of you."
    blocks: list[Block] = [
        header("Welcome to socialbot"),
        section(
            "socialbot runs the organisation's social media programme here in Slack: the "
            "schedule, reminders and review of drafts."
        ),
        *(section(p) for p in parts),
        context(
            f"Open the *Home* tab any time to see what's next. `/social help` lists every "
            f"command; questions about the programme go to {who}."
        ),
    ]
    return text, blocks
