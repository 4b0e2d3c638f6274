"""The words for every refusal, in one table keyed by the domains' reasons."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from bot.decisions import Decision
from bot.drafts.service import Refusal
from bot.review.service import Outcome, ReviewRefusal
from bot.schedule.changes import ChangeRefusal
from bot.slack.views.common import escape, mention

REFUSALS: dict[StrEnum, str] = {
    Refusal.NO_SUCH_SLOT: "That post no longer exists.",
    Refusal.NOT_YOURS: "That post is assigned to someone else, so only they can act on it.",
    Refusal.NOT_OPEN: "That post isn't waiting for anything any more, so nothing was changed.",
    Refusal.NOT_COORDINATOR: "Only this department's coordinators and the overall coordinators "
    "can do that. Nothing was changed.",
    Refusal.EMPTY: "The draft is empty.",
    Refusal.TOO_LONG: "The draft is too long (at most 10,000 characters).",
    Refusal.NOT_IN_DEPARTMENT: "That person isn't a contributor or coordinator of this "
    "department. Nothing was changed.",
    Refusal.CHECKS_FAILED: "That draft can't be submitted yet:\n{rules}",
    Refusal.NOT_CANCELLED: "That post isn't cancelled, so there is nothing to restore.",
    Refusal.SNOOZE_TOO_LONG: "That snooze would remind you too close to when the post is due, "
    "so it wasn't snoozed. Submit your draft, or use *Can't do it* if you can't.",
    ReviewRefusal.NO_SUCH_DRAFT: "That draft no longer exists.",
    ReviewRefusal.NOT_REVIEWER: "Only {department}'s coordinators and the overall coordinators "
    "can decide on drafts. Nothing was changed.",
    ReviewRefusal.NOT_IN_REVIEW: "This post is no longer in review (cancelled or handed back). "
    "Nothing was changed.",
    ReviewRefusal.NOT_PUBLISHER: "Only the author and the department's coordinators can mark "
    "this published.",
    ReviewRefusal.NOT_APPROVED: "Only an approved post can be marked published.",
    ReviewRefusal.NOT_OVERALL: "The second approval of a leader's post is for the overall "
    "coordinators.",
    ReviewRefusal.NOT_YET: "The department approves first; this step comes after.",
    ReviewRefusal.OWN_DRAFT: "You can't decide on your own draft: another coordinator needs to.",
    ReviewRefusal.OLD_VERSION: "This is an older version. The latest is v{latest}, further down "
    "this thread: decide on that one.",
    ReviewRefusal.ALREADY_DECIDED: "{who} already {done}. Nothing was changed.",
    ChangeRefusal.NO_SUCH_SLOT: "That post no longer exists.",
    ChangeRefusal.NOT_COORDINATOR: "Only this department's coordinators and the overall "
    "coordinators can change its schedule. Nothing was changed.",
    ChangeRefusal.CLOSED: "That post is already published or cancelled, so it can't be changed.",
}
ALREADY = {
    Outcome.APPROVED.value: "approved this version",
    Outcome.CHANGES_REQUESTED.value: "asked for changes to this version",
    Outcome.REJECTED.value: "rejected this version",
}
FALLBACK = "That can't be done."


def refusal(decision: Decision[Any] | None, *, department: str = "this department") -> str:
    """What to tell the person whose click or command a rule refused."""
    if decision is None or decision.reason is None:
        return FALLBACK
    template = REFUSALS.get(decision.reason, FALLBACK)
    details = decision.details
    return template.format(
        rules="\n".join(f"• {escape(d)}" for d in details),
        department=escape(department),
        latest=details[0] if details else "",
        who=mention(details[0]) if details else "Someone",
        done=ALREADY.get(details[1], "decided on it") if len(details) > 1 else "decided on it",
    )
