"""The one shape of every rule's answer: `decide_…() -> Decision[R]`.

A rule takes plain values and says yes, or no with a reason from its domain's enum. Services
return what they made, or the refusing `Decision`; the Slack layer turns a reason into words
through one table (`bot.slack.views.refusals`)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, TypeVar

R = TypeVar("R", bound=StrEnum)


@dataclass(frozen=True)
class Decision(Generic[R]):
    ok: bool
    reason: R | None = None
    # What the words for a refusal need: each broken content rule; who decided first and how;
    # the latest version's number. Documented beside each reason that uses them.
    details: tuple[str, ...] = ()


def allow() -> Decision[R]:
    return Decision(True)


def refuse(reason: R, *details: str) -> Decision[R]:
    return Decision(False, reason, tuple(details))
