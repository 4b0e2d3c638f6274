"""Table models. Enumerated values are stored as short strings so migrations stay portable."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Index, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime, utcnow


def _ts(**kwargs: object) -> object:
    return Field(default_factory=utcnow, sa_type=UTCDateTime, **kwargs)  # type: ignore[arg-type]


class Organisation(SQLModel, table=True):
    """The single organisation this installation serves (id is always 1)."""

    id: int = Field(default=1, primary_key=True)
    name: str = Field(default="", max_length=120)
    timezone: str = Field(max_length=64)
    leadership_channel: str = Field(max_length=32)
    default_due_hour: int = Field(default=12)
    # Bumped by every load, so processes can tell their cached copy is stale.
    revision: int = Field(default=0)
    reminder_days: str = Field(default="7,2,0", max_length=60)  # days before due, comma-separated
    reminder_hour: int = Field(default=9)
    escalate_after_days: int = Field(default=3)
    review_nudge_hours: int = Field(default=24)  # working hours a draft may wait for a decision
    protocols: str = Field(default="{}", sa_type=Text)  # type: ignore[call-overload]  (JSON)
    # Slack user ids who may ask for the monthly report (JSON list), besides coordinators.
    leadership: str = Field(default="[]", sa_type=Text)  # type: ignore[call-overload]
    updated_at: datetime = _ts()  # type: ignore[assignment]


class Department(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=80, unique=True)
    review_channel: str = Field(max_length=32)
    reminder_days: str | None = Field(default=None, max_length=60)  # overrides the organisation's
    active: bool = Field(default=True)
    created_at: datetime = _ts()  # type: ignore[assignment]
    updated_at: datetime = _ts()  # type: ignore[assignment]


class Membership(SQLModel, table=True):
    """A person's role: overall coordinator (no department), or coordinator/contributor of one."""

    __table_args__ = (Index("ix_membership_user_active", "user_id", "active"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: str = Field(max_length=32)
    role: str = Field(max_length=32)
    department_id: int | None = Field(default=None, foreign_key="department.id", index=True)
    active: bool = Field(default=True)
    updated_at: datetime = _ts()  # type: ignore[assignment]


class Account(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("platform", "handle", name="uq_account_platform_handle"),)

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=20)
    handle: str = Field(max_length=100)
    kind: str = Field(max_length=20)
    department_id: int | None = Field(default=None, foreign_key="department.id")
    active: bool = Field(default=True)
    updated_at: datetime = _ts()  # type: ignore[assignment]


class Slot(SQLModel, table=True):
    """One planned post. natural_key makes re-imports and rule generation idempotent."""

    __table_args__ = (
        Index("ix_slot_department_due", "department_id", "due_at"),
        Index("ix_slot_contributor_due", "contributor_id", "due_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    natural_key: str = Field(sa_column=Column(String(64), unique=True, nullable=False))
    department_id: int = Field(foreign_key="department.id")
    due_at: datetime = Field(sa_type=UTCDateTime)  # type: ignore[call-overload]
    platform: str = Field(max_length=20)
    account_id: int | None = Field(default=None, foreign_key="account.id")
    topic: str = Field(max_length=200)
    contributor_id: str = Field(max_length=32)
    status: str = Field(default="planned", max_length=24)
    source: str = Field(default="", max_length=200)
    # The earliest moment a reminder might be due (conservative across timezones); the reminder
    # job reads only slots whose moment has come, so its cost follows what is due, not the year.
    published_url: str | None = Field(default=None, max_length=500)
    # Set when the due time passed before approval, whatever stage the draft was at.
    late_since: datetime | None = Field(default=None, sa_type=UTCDateTime)  # type: ignore[call-overload]
    next_nudge_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)  # type: ignore[call-overload]
    snoozed_until: datetime | None = Field(default=None, sa_type=UTCDateTime)  # type: ignore[call-overload]
    created_at: datetime = _ts()  # type: ignore[assignment]
    updated_at: datetime = _ts()  # type: ignore[assignment]


class SlotEvent(SQLModel, table=True):
    """The history of a slot: created, changed, nudged, decided. Never rewritten."""

    id: int | None = Field(default=None, primary_key=True)
    slot_id: int = Field(foreign_key="slot.id", index=True)
    at: datetime = _ts()  # type: ignore[assignment]
    kind: str = Field(max_length=32)
    actor: str = Field(default="", max_length=32)
    detail: str = Field(default="", max_length=500)


class SlackUser(SQLModel, table=True):
    """What we cache about a Slack user (their timezone) and when we last asked."""

    user_id: str = Field(primary_key=True, max_length=32)
    tz: str | None = Field(default=None, max_length=64)
    deleted: bool = Field(default=False)
    fetched_at: datetime = _ts()  # type: ignore[assignment]
    home_opened_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # type: ignore[call-overload]


class JobRun(SQLModel, table=True):
    """One run of a scheduled job, for the log and for operators catching up."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=64, index=True)
    scheduled_for: datetime = Field(sa_type=UTCDateTime)  # type: ignore[call-overload]
    started_at: datetime = _ts()  # type: ignore[assignment]
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # type: ignore[call-overload]
    outcome: str = Field(default="running", max_length=20)
    summary: str = Field(default="", max_length=500)


class Blackout(SQLModel, table=True):
    """A day on which nothing should be posted or asked for (organisation file or calendar)."""

    __table_args__ = (UniqueConstraint("day", "source", name="uq_blackout_day_source"),)

    id: int | None = Field(default=None, primary_key=True)
    day: date
    label: str = Field(default="", max_length=200)
    source: str = Field(max_length=32)  # "organisation" or "calendar"


class Rule(SQLModel, table=True):
    """A recurring slot pattern of a department, from the organisation file."""

    id: int | None = Field(default=None, primary_key=True)
    department_id: int = Field(foreign_key="department.id", index=True)
    position: int
    weekdays: str = Field(max_length=40)  # e.g. "tue,thu"
    due_time: str | None = Field(default=None, max_length=5)  # "HH:MM", else the default hour
    platform: str = Field(max_length=20)
    account_id: int | None = Field(default=None, foreign_key="account.id")
    topic: str = Field(max_length=200)
    contributors: str = Field(max_length=1000)  # rotation, comma-separated user IDs
    starts: date | None = None
    ends: date | None = None
    active: bool = Field(default=True)


class Digest(SQLModel, table=True):
    """One message the bot sends about one or more slots (a reminder digest, an escalation).
    Claimed (state "sending") before the Slack call and confirmed after, so a crash in between
    can be told apart from a message never sent."""

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(sa_column=Column(String(64), unique=True, nullable=False))
    kind: str = Field(max_length=24)
    recipient: str = Field(max_length=32, index=True)
    state: str = Field(default="sending", max_length=16, index=True)
    channel: str | None = Field(default=None, max_length=32)
    ts: str | None = Field(default=None, max_length=32)
    created_at: datetime = _ts()  # type: ignore[assignment]
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # type: ignore[call-overload]
    error: str = Field(default="", max_length=100)


class Nudge(SQLModel, table=True):
    """One (slot, stage) notification. The unique pair is what makes every stage go out once."""

    __table_args__ = (UniqueConstraint("slot_id", "stage", name="uq_nudge_slot_stage"),)

    id: int | None = Field(default=None, primary_key=True)
    slot_id: int = Field(foreign_key="slot.id", index=True)
    stage: str = Field(max_length=80)
    digest_id: int | None = Field(default=None, foreign_key="digest.id", index=True)
    state: str = Field(default="sending", max_length=16)
    created_at: datetime = _ts()  # type: ignore[assignment]


class Draft(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("slot_id", "version", name="uq_draft_slot_version"),)

    id: int | None = Field(default=None, primary_key=True)
    slot_id: int = Field(foreign_key="slot.id", index=True)
    version: int
    author_id: str = Field(max_length=32)
    text: str = Field(sa_type=Text)  # type: ignore[call-overload]
    files: str = Field(default="[]", sa_type=Text)  # type: ignore[call-overload]
    link: str = Field(default="", max_length=500)
    note: str = Field(default="", max_length=1000)
    source: str = Field(max_length=16)  # modal | thread
    # For drafts from a message: its channel and ts, so a retried event cannot add it twice.
    source_key: str | None = Field(default=None, sa_column=Column(String(80), unique=True))
    sponsored: bool = Field(default=False)
    review_ts: str | None = Field(default=None, max_length=32)  # its message in the review thread
    posted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # type: ignore[call-overload]
    created_at: datetime = _ts()  # type: ignore[assignment]


class ProcessedEvent(SQLModel, table=True):
    """Events API deliveries already handled (Slack retries them)."""

    event_id: str = Field(primary_key=True, max_length=64)
    received_at: datetime = _ts()  # type: ignore[assignment]


class PendingReply(SQLModel, table=True):
    """A thread reply to a digest of several slots, waiting for its author to say which slot."""

    id: int | None = Field(default=None, primary_key=True)
    digest_id: int = Field(foreign_key="digest.id")
    user_id: str = Field(max_length=32)
    source_key: str = Field(sa_column=Column(String(80), unique=True, nullable=False))
    text: str = Field(sa_type=Text)  # type: ignore[call-overload]
    files: str = Field(default="[]", sa_type=Text)  # type: ignore[call-overload]
    created_at: datetime = _ts()  # type: ignore[assignment]
    resolved: bool = Field(default=False)


class JobLease(SQLModel, table=True):
    """Only the holder of a job's lease runs it; a crashed holder's lease simply expires."""

    name: str = Field(primary_key=True, max_length=64)
    holder: str = Field(max_length=64)
    expires_at: datetime = Field(sa_type=UTCDateTime)  # type: ignore[call-overload]


class Review(SQLModel, table=True):
    """A slot's review thread in its department's review channel."""

    slot_id: int = Field(primary_key=True, foreign_key="slot.id")
    channel: str = Field(max_length=32)
    root_ts: str = Field(max_length=32)
    created_at: datetime = _ts()  # type: ignore[assignment]


class Verdict(SQLModel, table=True):
    """One decision on one draft version. The unique draft makes double clicks, two
    coordinators at once and Slack retries all come down to a single decision."""

    draft_id: int = Field(primary_key=True, foreign_key="draft.id")
    outcome: str = Field(max_length=24)  # approved | changes_requested | rejected
    decided_by: str = Field(max_length=32)
    decided_at: datetime = _ts()  # type: ignore[assignment]
    reason: str = Field(default="", sa_type=Text)  # type: ignore[call-overload]


class LeaderApproval(SQLModel, table=True):
    """The second step for posts on a leader's account: an overall coordinator's decision."""

    draft_id: int = Field(primary_key=True, foreign_key="draft.id")
    outcome: str = Field(max_length=24)  # approved | rejected
    decided_by: str = Field(max_length=32)
    decided_at: datetime = _ts()  # type: ignore[assignment]
    reason: str = Field(default="", sa_type=Text)  # type: ignore[call-overload]
