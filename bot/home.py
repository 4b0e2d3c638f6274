"""What a person's App Home shows, decided by their role."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlmodel import Session

from bot.nudges.plan import Cadence
from bot.nudges.service import cadences
from bot.organisation.directory import Directory
from bot.organisation.roles import Role, Roles
from bot.schedule.service import (
    DepartmentMonth,
    SlotView,
    attention_slots,
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
WAITING_SHOWN = 15
ATTENTION_SHOWN = 30
ATTENTION_SINCE = timedelta(days=62)  # late posts older than two months are history
MAX_OFFSET = 12  # months either side of this one


def clamp_offset(offset: int) -> int:
    return max(-MAX_OFFSET, min(MAX_OFFSET, offset))


@dataclass(frozen=True)
class WaitingThread:
    """A post in review, and where its thread is."""

    slot_id: int
    topic: str
    department: str
    channel: str
    ts: str


@dataclass(frozen=True)
class Attention:
    """A post a coordinator should act on: late, or with nobody to write it."""

    slot: SlotView
    unassigned: bool  # handed back, or its contributor left the department


@dataclass(frozen=True)
class Glance:
    """A department's month in four numbers."""

    department_id: int
    name: str
    total: int
    on_time: int  # approved or published, never late
    late: int
    waiting: int  # in review


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
    cadences: Mapping[str, Cadence] = field(default_factory=dict)  # by department name
    now: datetime | None = None  # as of when
    my_departments: tuple[DepartmentMonth, ...] = ()
    my_department_slots: tuple[SlotView, ...] = ()
    all_departments: tuple[DepartmentMonth, ...] = ()
    contacts: tuple[str, ...] = ()
    drafts: tuple[DraftSummary, ...] = ()
    feedback: tuple[tuple[str, str, str], ...] = ()  # (topic, who, what) received
    change_reasons: tuple[tuple[str, int], ...] = ()  # coordinators: recurring words in feedback
    offset: int = 0  # the month shown, in months from this one
    can_add: bool = False
    waiting: tuple[WaitingThread, ...] = ()
    attention: tuple[Attention, ...] = ()
    glance: tuple[Glance, ...] = ()  # overall coordinators: every department's month


def home_for(
    *,
    session: Session,
    directory: Directory | None,
    user_id: str,
    now: datetime,
    offset: int = 0,
) -> HomeModel:
    """`directory` is None before the organisation is loaded. `offset` moves the month shown
    to coordinators (-1 the month before this one, 1 the next)."""
    if directory is None:
        return HomeModel(roles=Roles(user_id, False, frozenset(), frozenset()), org_loaded=False)
    roles = directory.roles(user_id)
    tz = directory.timezone
    offset = clamp_offset(offset)
    month = Month.containing(now, tz)
    for _ in range(abs(offset)):
        month = month.next() if offset > 0 else month.previous()
    if not roles.is_member:
        return HomeModel(
            roles=roles, org_loaded=True, month=month, contacts=directory.overall_coordinators
        )
    upcoming = upcoming_for_contributor(
        session=session, user_id=user_id, now=now, until=now + UPCOMING_WINDOW, limit=UPCOMING_LIMIT
    )
    # Overall coordinators act on every department's month as its coordinators do.
    coordinated = directory.sorted_ids(None if roles.overall else roles.coordinates)
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
    glance = glances(mine_slots, directory) if roles.overall else []
    acted_on = coordinated
    reviewed = directory.sorted_ids(None if roles.overall else roles.coordinates | roles.backs_up)
    return HomeModel(
        roles=roles,
        org_loaded=True,
        month=month,
        upcoming=tuple(upcoming),
        now=now,
        cadences={
            directory.departments[i]: c
            for i, c in cadences(session).items()
            if i in directory.departments
        }
        if upcoming
        else {},
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
        offset=offset,
        can_add=bool(acted_on),
        waiting=tuple(
            WaitingThread(slot_id, topic, directory.departments.get(dept, "?"), channel, ts)
            for slot_id, topic, dept, channel, ts in reviews_repo.waiting_threads(
                session, reviewed, WAITING_SHOWN
            )
        )
        if reviewed
        else (),
        attention=tuple(needing_attention(session, directory, acted_on, mine_slots, now))
        if acted_on
        else (),
        glance=tuple(glance),
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


def needing_attention(
    session: Session,
    directory: Directory,
    department_ids: list[int],
    month: list[SlotView],
    now: datetime,
) -> list[Attention]:
    """Late and handed-back posts of these departments (recent ones), and open posts of the
    month shown whose contributor has left their department."""
    found = {
        s.id: s
        for s in attention_slots(
            session=session, department_ids=department_ids, since=now - ATTENTION_SINCE
        )
    }
    members = _writers(directory, department_ids)
    department_of = {name: i for i, name in directory.departments.items()}
    for slot in month:
        open_ = slot.status not in CLOSED_FOR_HOME
        department_id = department_of.get(slot.department)
        if open_ and department_id in members and slot.contributor_id not in members[department_id]:
            found.setdefault(slot.id, slot)
    items = [
        Attention(
            s,
            s.status is SlotStatus.HANDED_BACK
            or s.contributor_id not in members.get(department_of.get(s.department, -1), set()),
        )
        for s in sorted(found.values(), key=lambda s: (s.due_at, s.id))
    ]
    return items[:ATTENTION_SHOWN]


CLOSED_FOR_HOME = frozenset(
    {SlotStatus.APPROVED, SlotStatus.PUBLISHED, SlotStatus.CANCELLED, SlotStatus.REJECTED}
)


def _writers(directory: Directory, department_ids: list[int]) -> dict[int, set[str]]:
    """Who may write for each of these departments (contributors and coordinators)."""
    wanted = set(department_ids)
    writers: dict[int, set[str]] = {d: set() for d in department_ids}
    for user, memberships in directory.memberships.items():
        for m in memberships:
            if m.role in WRITERS and m.department_id in wanted:
                writers[m.department_id].add(user)
    return writers


WRITERS = frozenset({Role.CONTRIBUTOR, Role.COORDINATOR})


def glances(slots: list[SlotView], directory: Directory) -> list[Glance]:
    """Each department's month: how many posts, on time, late, waiting for review."""
    totals: dict[str, list[int]] = {name: [0, 0, 0, 0] for name in directory.departments.values()}
    for slot in slots:
        if slot.status is SlotStatus.CANCELLED:
            continue
        counts = totals.setdefault(slot.department, [0, 0, 0, 0])
        counts[0] += 1
        counts[1] += slot.status in DONE and slot.late_since is None
        counts[2] += slot.late
        counts[3] += slot.status is SlotStatus.IN_REVIEW
    return [
        Glance(i, name, *totals[name])
        for i, name in sorted(directory.departments.items(), key=lambda item: item[1])
    ]


DONE = frozenset({SlotStatus.APPROVED, SlotStatus.PUBLISHED})


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
