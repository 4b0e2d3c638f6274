"""A coordinator's changes to the schedule from Slack: add a post, edit what it is, move when it
is due. Who may change what is one pure rule (`decide_schedule_change`); what a form may hold is
another (`check_slot_form`). Every change is recorded in the slot's history and filed for
reminders like an imported slot."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.decisions import Decision, allow, refuse
from bot.nudges.service import file_for_reminders
from bot.organisation.directory import Directory
from bot.organisation.platforms import Platform
from bot.organisation.roles import Role, Roles
from bot.schedule.csv_import import slot_key
from bot.schedule.status import SlotStatus
from bot.schedule.timing import NonexistentLocalTime, local_to_utc
from storage.models import Slot
from storage.repositories import organisation as org_repo
from storage.repositories import slots as repo

MAX_TOPIC = 200
CLOSED = frozenset({SlotStatus.PUBLISHED, SlotStatus.CANCELLED})


class ChangeRefusal(StrEnum):
    # Values unlike other domains' reasons: the words table is keyed by value.
    NO_SUCH_SLOT = "change_no_such_slot"
    NOT_COORDINATOR = "change_not_coordinator"
    CLOSED = "change_closed"  # published or cancelled: its story is over


def decide_schedule_change(
    *, roles: Roles, department_id: int | None, status: SlotStatus | None = None
) -> Decision[ChangeRefusal]:
    """Add to, edit or move in a department's schedule: its coordinators and the overall
    coordinators; a slot already published or cancelled is not changed. (`status` is None
    when adding.) `department_id` None means the slot or department does not exist."""
    if department_id is None:
        return refuse(ChangeRefusal.NO_SUCH_SLOT)
    if not (roles.overall or department_id in roles.coordinates):
        return refuse(ChangeRefusal.NOT_COORDINATOR)
    if status in CLOSED:
        return refuse(ChangeRefusal.CLOSED)
    return allow()


def departments_changeable(roles: Roles, directory: Directory) -> list[int]:
    """The departments whose schedule this person may add to, in name order."""
    return directory.sorted_ids(None if roles.overall else roles.coordinates)


class FormProblem(StrEnum):
    MISSING = "missing"
    BAD_DATE = "bad_date"
    BAD_TIME = "bad_time"
    IN_THE_PAST = "in_the_past"
    UNKNOWN_DEPARTMENT = "unknown_department"
    UNKNOWN_PLATFORM = "unknown_platform"
    UNKNOWN_ACCOUNT = "unknown_account"
    ACCOUNT_PLATFORM = "account_platform"  # details: the account's platform
    TOPIC_TOO_LONG = "topic_too_long"
    NOT_IN_DEPARTMENT = "not_in_department"
    ALREADY_SCHEDULED = "already_scheduled"
    SAME_CONTRIBUTOR = "same_contributor"


# The fields of the slot forms; each is also the block id its problem is shown on.
DEPARTMENT, DATE, TIME, PLATFORM, ACCOUNT, TOPIC, CONTRIBUTOR = (
    "department",
    "date",
    "time",
    "platform",
    "account",
    "topic",
    "contributor",
)


@dataclass(frozen=True)
class SlotForm:
    """What a slot form holds, as typed or picked (every field a string; "" when empty)."""

    department: str = ""
    date: str = ""
    time: str = ""
    platform: str = ""
    account: str = ""
    topic: str = ""
    contributor: str = ""


@dataclass(frozen=True)
class Problems:
    """Field -> what is wrong with it. Nothing was changed."""

    fields: dict[str, FormProblem]


@dataclass(frozen=True)
class Changed:
    slot_id: int
    department_id: int
    due_at: datetime
    contributor_id: str

    @classmethod
    def of(cls, slot: Slot) -> Changed:
        assert slot.id is not None
        return cls(slot.id, slot.department_id, slot.due_at, slot.contributor_id)


def parse_due(day: str, at: str, tz: ZoneInfo) -> datetime | FormProblem:
    """A date (YYYY-MM-DD) and a time (HH:MM) in the organisation's timezone."""
    try:
        parsed_day = date.fromisoformat(day)
    except ValueError:
        return FormProblem.BAD_DATE
    try:
        parsed_time = time.fromisoformat(at)
    except ValueError:
        return FormProblem.BAD_TIME
    if len(at) != 5 or parsed_time.second or parsed_time.tzinfo is not None:
        return FormProblem.BAD_TIME
    try:
        return local_to_utc(datetime.combine(parsed_day, parsed_time), tz)
    except NonexistentLocalTime:
        return FormProblem.BAD_TIME  # the hour a daylight-saving change skips


def _check_when(form: SlotForm, tz: ZoneInfo, now: datetime) -> dict[str, FormProblem] | datetime:
    problems: dict[str, FormProblem] = {}
    if not form.date:
        problems[DATE] = FormProblem.MISSING
    if not form.time:
        problems[TIME] = FormProblem.MISSING
    if problems:
        return problems
    due = parse_due(form.date, form.time, tz)
    if due is FormProblem.BAD_DATE:
        return {DATE: due}
    if isinstance(due, FormProblem):
        return {TIME: due}
    if due <= now:
        return {DATE: FormProblem.IN_THE_PAST}
    return due


@dataclass(frozen=True)
class _What:
    platform: Platform
    account_id: int | None
    topic: str


def _check_what(session: Session, form: SlotForm) -> dict[str, FormProblem] | _What:
    problems: dict[str, FormProblem] = {}
    platform: Platform | None = None
    try:
        platform = Platform(form.platform)
    except ValueError:
        problems[PLATFORM] = FormProblem.UNKNOWN_PLATFORM if form.platform else FormProblem.MISSING
    account_id: int | None = None
    if form.account:
        accounts = {str(a.id): a for a in org_repo.active_accounts(session)}
        account = accounts.get(form.account)
        if account is None:
            problems[ACCOUNT] = FormProblem.UNKNOWN_ACCOUNT
        elif platform is not None and account.platform != platform.value:
            problems[ACCOUNT] = FormProblem.ACCOUNT_PLATFORM
        else:
            account_id = account.id
    topic = " ".join(form.topic.split())
    if not topic:
        problems[TOPIC] = FormProblem.MISSING
    elif len(topic) > MAX_TOPIC:
        problems[TOPIC] = FormProblem.TOPIC_TOO_LONG
    if problems or platform is None:
        return problems
    return _What(platform, account_id, topic)


def members(session: Session, department_id: int) -> frozenset[str]:
    return frozenset(
        org_repo.active_members_of(session, department_id, Role.CONTRIBUTOR.value)
    ) | frozenset(org_repo.active_members_of(session, department_id, Role.COORDINATOR.value))


def add_slot(
    *, session: Session, directory: Directory, by: str, form: SlotForm, now: datetime
) -> Changed | Problems | Decision[ChangeRefusal]:
    """A new post in a department's schedule, as if it had been imported (all or nothing)."""
    roles = directory.roles(by)
    try:
        department_id: int | None = int(form.department)
    except ValueError:
        department_id = None
    if department_id not in directory.departments:
        if not departments_changeable(roles, directory):
            return refuse(ChangeRefusal.NOT_COORDINATOR)
        return Problems({DEPARTMENT: FormProblem.UNKNOWN_DEPARTMENT})
    decision = decide_schedule_change(roles=roles, department_id=department_id)
    if not decision.ok:
        return decision
    assert department_id is not None
    problems: dict[str, FormProblem] = {}
    when = _check_when(form, directory.timezone, now)
    what = _check_what(session, form)
    if isinstance(when, dict):
        problems |= when
    if isinstance(what, dict):
        problems |= what
    if not form.contributor:
        problems[CONTRIBUTOR] = FormProblem.MISSING
    elif form.contributor not in members(session, department_id):
        problems[CONTRIBUTOR] = FormProblem.NOT_IN_DEPARTMENT
    if problems or isinstance(when, dict) or isinstance(what, dict):
        return Problems(problems)
    platform, account_id, topic = what.platform, what.account_id, what.topic
    key = slot_key(department_id, when, platform.value, account_id, topic)
    existing = repo.by_natural_keys(session, [key]).get(key)
    if existing is not None:
        same = (existing.due_at, existing.platform, existing.topic.casefold()) == (
            when,
            platform.value,
            topic.casefold(),
        )
        if same and SlotStatus(existing.status) is not SlotStatus.CANCELLED:
            return Problems({TOPIC: FormProblem.ALREADY_SCHEDULED})
        key = uuid.uuid4().hex  # that key's slot has moved on: this one is a new post
    slot = Slot(
        natural_key=key,
        department_id=department_id,
        due_at=when,
        platform=platform.value,
        account_id=account_id,
        topic=topic,
        contributor_id=form.contributor,
        source=f"added by {by}",
        created_at=now,
        updated_at=now,
    )
    session.add(slot)
    session.flush()
    assert slot.id is not None
    repo.add_event(
        session,
        slot_id=slot.id,
        at=now,
        kind="added",
        actor=by,
        detail=f"for {form.contributor}",
    )
    file_for_reminders(session, [slot.id])
    return Changed(slot.id, department_id, when, slot.contributor_id)


def _slot_to_change(
    session: Session, directory: Directory, by: str, slot_id: int | None
) -> Slot | Decision[ChangeRefusal]:
    slot = session.get(Slot, slot_id, with_for_update=True) if slot_id else None
    decision = decide_schedule_change(
        roles=directory.roles(by),
        department_id=slot.department_id if slot is not None else None,
        status=SlotStatus(slot.status) if slot is not None else None,
    )
    if not decision.ok or slot is None:
        return decision
    return slot


def edit_slot(
    *,
    session: Session,
    directory: Directory,
    by: str,
    slot_id: int | None,
    form: SlotForm,
    now: datetime,
) -> Changed | Problems | Decision[ChangeRefusal]:
    """What a post is: its platform, account and topic. (Its natural key stays, so importing
    the original CSV again finds it rather than adding it twice.)"""
    slot = _slot_to_change(session, directory, by, slot_id)
    if isinstance(slot, Decision):
        return slot
    assert slot.id is not None
    what = _check_what(session, form)
    if isinstance(what, dict):
        return Problems(what)
    platform, account_id, topic = what.platform, what.account_id, what.topic
    before = (slot.platform, slot.account_id, slot.topic)
    if before == (platform.value, account_id, topic):
        return Changed.of(slot)
    changes = []
    if slot.platform != platform.value:
        changes.append(f"platform {slot.platform} → {platform.value}")
    if slot.account_id != account_id:
        changes.append("account changed")
    if slot.topic != topic:
        changes.append(f"topic “{slot.topic}” → “{topic}”")
    slot.platform, slot.account_id, slot.topic = platform.value, account_id, topic
    slot.updated_at = now
    session.add(slot)
    repo.add_event(
        session, slot_id=slot.id, at=now, kind="edited", actor=by, detail="; ".join(changes)
    )
    return Changed.of(slot)


def move_slot(
    *,
    session: Session,
    directory: Directory,
    by: str,
    slot_id: int | None,
    form: SlotForm,
    now: datetime,
) -> Changed | Problems | Decision[ChangeRefusal]:
    """When a post is due. Its reminders are planned again from the new moment."""
    slot = _slot_to_change(session, directory, by, slot_id)
    if isinstance(slot, Decision):
        return slot
    assert slot.id is not None
    when = _check_when(form, directory.timezone, now)
    if isinstance(when, dict):
        return Problems(when)
    if when == slot.due_at:
        return Changed.of(slot)
    before = slot.due_at
    slot.due_at = when
    slot.snoozed_until = None
    if SlotStatus(slot.status) is SlotStatus.LATE:
        slot.status = SlotStatus.PLANNED.value
    slot.late_since = None
    slot.updated_at = now
    session.add(slot)
    session.flush()
    repo.add_event(
        session,
        slot_id=slot.id,
        at=now,
        kind="moved",
        actor=by,
        detail=f"{before.astimezone(directory.timezone):%Y-%m-%d %H:%M} → "
        f"{when.astimezone(directory.timezone):%Y-%m-%d %H:%M} {directory.timezone.key}",
    )
    file_for_reminders(session, [slot.id])
    return Changed.of(slot)


@dataclass(frozen=True)
class SlotFormDefaults:
    """A slot as its edit form starts."""

    slot_id: int
    department_id: int
    department: str
    due_at: datetime
    platform: Platform
    account_id: int | None
    topic: str
    contributor_id: str


def slot_for_form(
    session: Session, directory: Directory, by: str, slot_id: int | None
) -> SlotFormDefaults | Decision[ChangeRefusal]:
    """The slot a coordinator is about to change, if they may."""
    slot = session.get(Slot, slot_id) if slot_id else None
    decision = decide_schedule_change(
        roles=directory.roles(by),
        department_id=slot.department_id if slot is not None else None,
        status=SlotStatus(slot.status) if slot is not None else None,
    )
    if not decision.ok or slot is None or slot.id is None:
        return decision
    return SlotFormDefaults(
        slot_id=slot.id,
        department_id=slot.department_id,
        department=directory.departments.get(slot.department_id, "?"),
        due_at=slot.due_at,
        platform=Platform(slot.platform),
        account_id=slot.account_id,
        topic=slot.topic,
        contributor_id=slot.contributor_id,
    )


def check_contributor(session: Session, slot: SlotFormDefaults, to: str) -> FormProblem | None:
    """Whether `to` may take this post over: someone else of its department."""
    if not to:
        return FormProblem.MISSING
    if to == slot.contributor_id:
        return FormProblem.SAME_CONTRIBUTOR
    if to not in members(session, slot.department_id):
        return FormProblem.NOT_IN_DEPARTMENT
    return None


@dataclass(frozen=True)
class AccountChoice:
    id: int
    platform: Platform
    handle: str


def account_choices(session: Session) -> list[AccountChoice]:
    return [
        AccountChoice(a.id, Platform(a.platform), a.handle)
        for a in org_repo.active_accounts(session)
        if a.id is not None
    ]


# How far back "the post just added" is looked for, after the Add form has closed.
JUST_ADDED = timedelta(minutes=10)


def just_added(session: Session, *, by: str, now: datetime) -> list[int]:
    """The posts `by` added in the last few minutes (the Add form carries no slot id)."""
    return repo.events_by(session, actor=by, kind="added", since=now - JUST_ADDED)
