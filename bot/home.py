"""What a person's App Home shows, decided by their role."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from bot.organisation.directory import Directory
from bot.organisation.roles import Roles
from bot.schedule.service import (
    DepartmentMonth,
    SlotView,
    month_overview,
    month_slots,
    summarise,
    upcoming_for_contributor,
)
from bot.schedule.status import SlotStatus
from bot.schedule.timing import Month
from storage.models import Slot
from storage.repositories import drafts as drafts_repo
from storage.repositories import people as people_repo
from storage.repositories import reviews as reviews_repo

UPCOMING_WINDOW = timedelta(days=45)
UPCOMING_LIMIT = 15
DRAFTS_SHOWN = 5
FEEDBACK_SHOWN = 5


@dataclass(frozen=True)
class DraftSummary:
    topic: str
    version: int
    created_at: datetime
    status: SlotStatus  # the post's; a replaced version's own state is `replaced_by`
    text: str
    replaced_by: int | None = None  # the newer version this one was replaced by


@dataclass(frozen=True)
class HomeModel:
    roles: Roles
    org_loaded: bool
    month: Month | None = None
    upcoming: tuple[SlotView, ...] = ()
    my_departments: tuple[DepartmentMonth, ...] = ()
    my_department_slots: tuple[SlotView, ...] = ()
    all_departments: tuple[DepartmentMonth, ...] = ()
    contacts: tuple[str, ...] = ()
    drafts: tuple[DraftSummary, ...] = ()
    feedback: tuple[tuple[str, str, str], ...] = ()  # (topic, who, what) received
    change_reasons: tuple[tuple[str, int], ...] = ()  # coordinators: recurring words in feedback


def home_for(
    *, session: Session, directory: Directory | None, user_id: str, now: datetime
) -> HomeModel:
    """`directory` is None before the organisation is loaded."""
    if directory is None:
        return HomeModel(roles=Roles(user_id, False, frozenset(), frozenset()), org_loaded=False)
    roles = directory.roles(user_id)
    tz = directory.timezone
    month = Month.containing(now, tz)
    if not roles.is_member:
        return HomeModel(
            roles=roles, org_loaded=True, month=month, contacts=directory.overall_coordinators
        )
    upcoming = upcoming_for_contributor(
        session=session, user_id=user_id, now=now, until=now + UPCOMING_WINDOW, limit=UPCOMING_LIMIT
    )
    coordinated = directory.sorted_ids(roles.coordinates)
    mine_slots = (
        month_slots(session=session, department_ids=coordinated, month=month, tz=tz)
        if coordinated
        else []
    )
    mine = summarise(mine_slots, {i: directory.departments[i] for i in coordinated})
    everything = (
        month_overview(session=session, departments=directory.departments, month=month, tz=tz)
        if roles.overall
        else []
    )
    return HomeModel(
        roles=roles,
        org_loaded=True,
        month=month,
        upcoming=tuple(upcoming),
        my_departments=tuple(mine),
        my_department_slots=tuple(mine_slots),
        all_departments=tuple(everything),
        contacts=directory.overall_coordinators,
        drafts=_drafts_of(session, user_id),
        feedback=tuple(
            (topic_of(session, draft.slot_id), verdict.decided_by, verdict.reason)
            for verdict, draft in reviews_repo.feedback_for(session, user_id, FEEDBACK_SHOWN)
        ),
        change_reasons=tuple(
            recurring(reviews_repo.change_reasons(session, coordinated, 200)) if coordinated else ()
        ),
    )


def _drafts_of(session: Session, user_id: str) -> tuple[DraftSummary, ...]:
    """My latest drafts, each in its own state: an older version replaced by a newer one is
    no longer "in review", whatever the post's status."""
    rows = drafts_repo.drafts_by(session, user_id, DRAFTS_SHOWN)
    latest = {s.id: drafts_repo.latest_version(session, s.id) for _, s in rows if s.id}
    summaries = []
    for draft, slot in rows:
        newest = latest.get(slot.id or 0, draft.version)
        summaries.append(
            DraftSummary(
                slot.topic,
                draft.version,
                draft.created_at,
                SlotStatus(slot.status),
                draft.text,
                replaced_by=newest if newest > draft.version else None,
            )
        )
    return tuple(summaries)


STOPWORDS = frozenset(
    {
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "do",
        "for",
        "from",
        "has",
        "have",
        "in",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "our",
        "please",
        "so",
        "that",
        "the",
        "their",
        "them",
        "there",
        "this",
        "to",
        "was",
        "we",
        "were",
        "with",
        "you",
        "your",
        "more",
        "less",
        "add",
        "make",
        "can",
        "could",
        "should",
        "would",
        "need",
        "needs",
    }
)


def recurring(reasons: Iterable[str], top: int = 8) -> list[tuple[str, int]]:
    """The words coordinators keep writing when they ask for changes, most frequent first."""
    counts = Counter(
        word
        for reason in reasons
        for word in set(re.findall(r"[a-z][a-z'-]{2,}", reason.casefold()))
        if word not in STOPWORDS
    )
    return [(word, n) for word, n in counts.most_common(top) if n > 1]


def topic_of(session: Session, slot_id: int) -> str:
    slot = session.get(Slot, slot_id)
    return slot.topic if slot else "?"


def record_home_opened(session: Session, user_id: str, now: datetime) -> None:
    """Remembered, so the daily `home` job keeps this person's tab current."""
    people_repo.mark_home_opened(session, user_id, now)


def home_viewers(session: Session) -> list[str]:
    return list(people_repo.home_viewers(session))
