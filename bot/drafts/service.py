"""Submitting drafts, and the rules on who may act on a slot."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlmodel import Session

from bot.decisions import Decision, allow, refuse
from bot.drafts.checks import Protocols, Report, check_draft
from bot.organisation.platforms import Platform
from bot.organisation.roles import Roles
from bot.schedule.csv_import import slot_key
from bot.schedule.status import SlotStatus
from storage.models import Draft, Organisation, Slot
from storage.repositories import drafts as repo
from storage.repositories import slots as slot_repo

# A draft may be (re)submitted while the slot waits for one or for a revision.
OPEN_FOR_DRAFTS = frozenset(
    {
        SlotStatus.PLANNED,
        SlotStatus.LATE,
        SlotStatus.DRAFTED,
        SlotStatus.IN_REVIEW,
        SlotStatus.CHANGES_REQUESTED,
    }
)
MAX_DRAFT = 10_000


class Refusal(StrEnum):
    NO_SUCH_SLOT = "no_such_slot"
    NOT_YOURS = "not_yours"
    NOT_OPEN = "not_open"
    NOT_COORDINATOR = "not_coordinator"
    EMPTY = "empty"
    TOO_LONG = "too_long"
    NOT_IN_DEPARTMENT = "not_in_department"
    CHECKS_FAILED = "checks_failed"  # details: each hard content rule broken
    NOT_CANCELLED = "not_cancelled"
    SNOOZE_TOO_LONG = "snooze_too_long"  # the reminder would come too close to the due time


@dataclass(frozen=True)
class SlotFacts:
    """What the rules on acting on a slot need to know about it, as plain values."""

    contributor_id: str
    department_id: int
    status: SlotStatus

    @classmethod
    def of(cls, slot: Slot | None) -> SlotFacts | None:
        if slot is None:
            return None
        return cls(slot.contributor_id, slot.department_id, SlotStatus(slot.status))


def decide_contributor_action(*, user_id: str, slot: SlotFacts | None) -> Decision[Refusal]:
    """Submit, snooze or hand back: only the slot's own contributor, while it is open."""
    if slot is None:
        return refuse(Refusal.NO_SUCH_SLOT)
    if slot.contributor_id != user_id:
        return refuse(Refusal.NOT_YOURS)
    if slot.status not in OPEN_FOR_DRAFTS:
        return refuse(Refusal.NOT_OPEN)
    return allow()


def decide_coordinator_action(*, roles: Roles, slot: SlotFacts | None) -> Decision[Refusal]:
    """Reassign, remind again or cancel: the department's coordinators and overall ones."""
    if slot is None:
        return refuse(Refusal.NO_SUCH_SLOT)
    if not (roles.overall or slot.department_id in roles.coordinates):
        return refuse(Refusal.NOT_COORDINATOR)
    if slot.status in {SlotStatus.PUBLISHED, SlotStatus.CANCELLED}:
        return refuse(Refusal.NOT_OPEN)
    return allow()


def decide_restore(*, roles: Roles, slot: SlotFacts | None) -> Decision[Refusal]:
    """Undo a cancellation: the department's coordinators and overall ones, and only a
    cancelled slot."""
    if slot is None:
        return refuse(Refusal.NO_SUCH_SLOT)
    if not (roles.overall or slot.department_id in roles.coordinates):
        return refuse(Refusal.NOT_COORDINATOR)
    if slot.status is not SlotStatus.CANCELLED:
        return refuse(Refusal.NOT_CANCELLED)
    return allow()


def restored_status(before: str | None) -> SlotStatus:
    """What a restored slot goes back to: what it was when cancelled (recorded then), or
    planned when that is unknown or was itself final."""
    try:
        status = SlotStatus(before or "")
    except ValueError:
        return SlotStatus.PLANNED
    return SlotStatus.PLANNED if status in {SlotStatus.CANCELLED, SlotStatus.PUBLISHED} else status


def check_text(text: str) -> Decision[Refusal]:
    if not text.strip():
        return refuse(Refusal.EMPTY)
    if len(text) > MAX_DRAFT:
        return refuse(Refusal.TOO_LONG)
    return allow()


@dataclass(frozen=True)
class Submitted:
    draft_id: int
    slot_id: int
    version: int
    duplicate: bool = False  # the same message delivered again: nothing new was stored


@dataclass(frozen=True)
class DraftInput:
    text: str
    files: tuple[dict[str, str], ...] = ()
    link: str = ""
    note: str = ""
    sponsored: bool = False


def submit_draft(
    *,
    session: Session,
    slot_id: int,
    author_id: str,
    draft: DraftInput,
    source: str,
    source_key: str | None,
    now: datetime,
) -> Submitted | Decision[Refusal]:
    """Store the text exactly as written. A message already stored (same source_key) is
    reported as a duplicate instead of becoming a second draft."""
    if source_key is not None:
        existing = repo.by_source(session, source_key)
        if existing is not None and existing.id is not None:
            return Submitted(existing.id, existing.slot_id, existing.version, duplicate=True)
    slot = session.get(Slot, slot_id, with_for_update=True)
    decision = decide_contributor_action(user_id=author_id, slot=SlotFacts.of(slot))
    if not decision.ok:
        return decision
    checked = check_text(draft.text)
    if not checked.ok and not draft.files:
        return checked
    assert slot is not None and slot.id is not None
    report = content_checks(session, Platform(slot.platform), draft, draft.sponsored)
    if report.blocked:
        return refuse(Refusal.CHECKS_FAILED, *(f.message for f in report.hard))
    version = repo.latest_version(session, slot.id) + 1
    row = Draft(
        slot_id=slot.id,
        version=version,
        author_id=author_id,
        text=draft.text,
        files=json.dumps(list(draft.files)),
        link=draft.link,
        note=draft.note,
        source=source,
        source_key=source_key,
        sponsored=draft.sponsored,
        created_at=now,
    )
    session.add(row)
    slot.status = SlotStatus.DRAFTED.value
    slot.next_nudge_at = None
    slot.updated_at = now
    session.add(slot)
    session.flush()
    assert row.id is not None
    slot_repo.add_event(
        session,
        slot_id=slot.id,
        at=now,
        kind="drafted",
        actor=author_id,
        detail=f"v{version} ({source})",
    )
    return Submitted(row.id, slot.id, version)


def protocols_of(org: Organisation | None) -> Protocols:
    data = json.loads(org.protocols or "{}") if org else {}
    return Protocols(
        banned_phrases=tuple(data.get("banned_phrases", ())),
        words_to_avoid=tuple(data.get("words_to_avoid", ())),
        disclosure_tags=tuple(data.get("disclosure_tags", ("#ad",))),
        max_hashtags=int(data.get("max_hashtags", 5)),
    )


def has_image(files: Iterable[dict[str, str]]) -> bool:
    return any(str(f.get("mimetype", "")).startswith("image/") for f in files)


def content_checks(
    session: Session, platform: Platform, draft: DraftInput, sponsored: bool = False
) -> Report:
    """The checks a draft for this platform must pass (hard) or shows the reviewer (soft)."""
    return check_draft(
        text=draft.text,
        platform=platform,
        protocols=protocols_of(session.get(Organisation, 1)),
        link=draft.link,
        has_image=has_image(draft.files),
        sponsored=sponsored,
    )


def slot_platform(session: Session, slot_id: int | None) -> Platform | None:
    """The platform a slot's post is for (None: no such slot)."""
    slot = session.get(Slot, slot_id or 0)
    return Platform(slot.platform) if slot else None


@dataclass(frozen=True)
class OpenSlot:
    """A post of mine still waiting for a draft, as a picker lists it."""

    slot_id: int
    topic: str
    due_at: datetime


def open_slots_of(session: Session, user_id: str, limit: int = 90) -> list[OpenSlot]:
    rows = slot_repo.open_for_contributor(
        session, user_id, [s.value for s in OPEN_FOR_DRAFTS], limit
    )
    return [OpenSlot(s.id, s.topic, s.due_at) for s in rows if s.id is not None]


def create_ad_hoc_slot(
    *,
    session: Session,
    department_id: int,
    platform: Platform,
    topic: str,
    due_at: datetime,
    contributor_id: str,
    now: datetime,
) -> Slot:
    """A post outside the schedule, from `/social draft`: it gets a slot so it is reviewed,
    counted and reported like any other."""
    key = slot_key(
        department_id, due_at, platform.value, None, f"{topic} (ad hoc {now.isoformat()})"
    )
    slot = Slot(
        natural_key=key,
        department_id=department_id,
        due_at=due_at,
        platform=platform.value,
        topic=topic,
        contributor_id=contributor_id,
        source="ad hoc",
        created_at=now,
        updated_at=now,
    )
    session.add(slot)
    session.flush()
    assert slot.id is not None
    slot_repo.add_event(session, slot_id=slot.id, at=now, kind="ad_hoc", actor=contributor_id)
    return slot
