"""Table models. Enumerated values are stored as short strings so migrations stay portable."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Column, Index, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime, utcnow


def _ts() -> Any:
    """A timestamp column that defaults to now (UTC)."""
    return Field(default_factory=utcnow, sa_type=UTCDateTime)


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
    reminder_min_lead_hours: int = Field(default=2)  # the least a reminder leaves before due
    escalate_after_days: int = Field(default=3)
    review_nudge_hours: int = Field(default=24)  # working hours a draft may wait for a decision
    protocols: str = Field(default="{}", sa_type=Text)  # JSON
    access_channel: str | None = Field(default=None, max_length=32)  # where access requests go
    # Slack user ids who may ask for the monthly report (JSON list), besides coordinators.
    leadership: str = Field(default="[]", sa_type=Text)
    updated_at: datetime = _ts()


class Department(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=80, unique=True)
    review_channel: str = Field(max_length=32)
    reminder_days: str | None = Field(default=None, max_length=60)  # overrides the organisation's
    active: bool = Field(default=True)
    created_at: datetime = _ts()
    updated_at: datetime = _ts()


class Membership(SQLModel, table=True):
    """A person's role: overall coordinator (no department), or coordinator/contributor of one."""

    __table_args__ = (Index("ix_membership_user_active", "user_id", "active"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: str = Field(max_length=32)
    role: str = Field(max_length=32)
    department_id: int | None = Field(default=None, foreign_key="department.id", index=True)
    active: bool = Field(default=True)
    updated_at: datetime = _ts()


class Account(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("platform", "handle", name="uq_account_platform_handle"),)

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=20)
    handle: str = Field(max_length=100)
    kind: str = Field(max_length=20)
    department_id: int | None = Field(default=None, foreign_key="department.id")
    active: bool = Field(default=True)
    updated_at: datetime = _ts()
    max_access_minutes: int = Field(default=480)  # the longest grant `/access request` gives
    approvals: int = Field(default=1)  # approvals a request needs (1 or 2)


class Slot(SQLModel, table=True):
    """One planned post. natural_key makes re-imports and rule generation idempotent."""

    __table_args__ = (
        Index("ix_slot_department_due", "department_id", "due_at"),
        Index("ix_slot_contributor_due", "contributor_id", "due_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    natural_key: str = Field(sa_column=Column(String(64), unique=True, nullable=False))
    department_id: int = Field(foreign_key="department.id")
    due_at: datetime = Field(sa_type=UTCDateTime)
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
    late_since: datetime | None = Field(default=None, sa_type=UTCDateTime)
    next_nudge_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    snoozed_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = _ts()
    updated_at: datetime = _ts()


class SlotEvent(SQLModel, table=True):
    """The history of a slot: created, changed, nudged, decided. Never rewritten."""

    id: int | None = Field(default=None, primary_key=True)
    slot_id: int = Field(foreign_key="slot.id", index=True)
    at: datetime = _ts()
    kind: str = Field(max_length=32)
    actor: str = Field(default="", max_length=32)
    detail: str = Field(default="", max_length=500)


class SlackUser(SQLModel, table=True):
    """What we cache about a Slack user (their timezone) and when we last asked."""

    user_id: str = Field(primary_key=True, max_length=32)
    tz: str | None = Field(default=None, max_length=64)
    deleted: bool = Field(default=False)
    fetched_at: datetime = _ts()
    home_opened_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class JobRun(SQLModel, table=True):
    """One run of a scheduled job, for the log and for operators catching up."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=64, index=True)
    scheduled_for: datetime = Field(sa_type=UTCDateTime)
    started_at: datetime = _ts()
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
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
    """One message the bot sends exactly once, about one or more outbox items (a reminder
    digest, an escalation).
    Claimed (state "sending") before the Slack call and confirmed after, so a crash in between
    can be told apart from a message never sent."""

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(sa_column=Column(String(64), unique=True, nullable=False))
    kind: str = Field(max_length=24)
    recipient: str = Field(max_length=32, index=True)
    state: str = Field(default="sending", max_length=16, index=True)
    channel: str | None = Field(default=None, max_length=32)
    ts: str | None = Field(default=None, max_length=32)
    thread_ts: str | None = Field(default=None, max_length=32)  # a reply in this thread
    # The job whose run claimed it (its next run settles it at once); None for a listener's send.
    job: str | None = Field(default=None, max_length=64)
    created_at: datetime = _ts()
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    error: str = Field(default="", max_length=100)


class OutboxItem(SQLModel, table=True):
    """One thing told once: a stage about a subject (a slot's reminder two days before, an
    escalation to one coordinator). The unique triple is what makes each go out once."""

    __tablename__ = "outbox_item"
    __table_args__ = (
        UniqueConstraint("subject", "subject_id", "stage", name="uq_outbox_subject_stage"),
    )

    id: int | None = Field(default=None, primary_key=True)
    subject: str = Field(max_length=16)  # what kind of thing subject_id names: "slot", …
    subject_id: int = Field(index=True)
    stage: str = Field(max_length=80)
    digest_id: int | None = Field(default=None, foreign_key="digest.id", index=True)
    state: str = Field(default="sending", max_length=16)
    created_at: datetime = _ts()


class Draft(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("slot_id", "version", name="uq_draft_slot_version"),)

    id: int | None = Field(default=None, primary_key=True)
    slot_id: int = Field(foreign_key="slot.id", index=True)
    version: int
    author_id: str = Field(max_length=32)
    text: str = Field(sa_type=Text)
    files: str = Field(default="[]", sa_type=Text)
    link: str = Field(default="", max_length=500)
    note: str = Field(default="", max_length=1000)
    source: str = Field(max_length=16)  # modal | thread
    # For drafts from a message: its channel and ts, so a retried event cannot add it twice.
    source_key: str | None = Field(default=None, sa_column=Column(String(80), unique=True))
    sponsored: bool = Field(default=False)
    review_ts: str | None = Field(default=None, max_length=32)  # its message in the review thread
    posted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = _ts()


class ProcessedEvent(SQLModel, table=True):
    """Events API deliveries already handled (Slack retries them)."""

    event_id: str = Field(primary_key=True, max_length=64)
    received_at: datetime = _ts()


class PendingReply(SQLModel, table=True):
    """A thread reply to a digest of several slots, waiting for its author to say which slot."""

    id: int | None = Field(default=None, primary_key=True)
    digest_id: int = Field(foreign_key="digest.id")
    user_id: str = Field(max_length=32)
    source_key: str = Field(sa_column=Column(String(80), unique=True, nullable=False))
    text: str = Field(sa_type=Text)
    files: str = Field(default="[]", sa_type=Text)
    created_at: datetime = _ts()
    resolved: bool = Field(default=False)


class Review(SQLModel, table=True):
    """A slot's review thread in its department's review channel."""

    slot_id: int = Field(primary_key=True, foreign_key="slot.id")
    channel: str = Field(max_length=32)
    root_ts: str = Field(max_length=32)
    created_at: datetime = _ts()


class Verdict(SQLModel, table=True):
    """One decision on one draft version. The unique draft makes double clicks, two
    coordinators at once and Slack retries all come down to a single decision."""

    draft_id: int = Field(primary_key=True, foreign_key="draft.id")
    outcome: str = Field(max_length=24)  # approved | changes_requested | rejected
    decided_by: str = Field(max_length=32)
    decided_at: datetime = _ts()
    reason: str = Field(default="", sa_type=Text)


class LeaderApproval(SQLModel, table=True):
    """The second step for posts on a leader's account: an overall coordinator's decision."""

    draft_id: int = Field(primary_key=True, foreign_key="draft.id")
    outcome: str = Field(max_length=24)  # approved | rejected
    decided_by: str = Field(max_length=32)
    decided_at: datetime = _ts()
    reason: str = Field(default="", sa_type=Text)


# --- credential access (bot/access) ----------------------------------------------------------


class AccessRequest(SQLModel, table=True):
    """A request for time-boxed access to an account; once approved it is the grant (same #id).
    open_key is set while pending or active, so one person has one open request per account."""

    __table_args__ = (Index("ix_accessrequest_status_ends", "status", "ends_at"),)

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", index=True)
    requester: str = Field(max_length=32, index=True)
    minutes: int
    reason: str = Field(sa_type=Text)
    status: str = Field(default="pending", max_length=16)
    approvals_needed: int = Field(default=1)
    requested_at: datetime = Field(sa_type=UTCDateTime)
    starts_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    ends_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    warned_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    ended_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    ended_by: str = Field(default="", max_length=32)
    break_glass: bool = Field(default=False)
    open_key: str | None = Field(default=None, sa_column=Column(String(80), unique=True))


class AccessApproval(SQLModel, table=True):
    """One approver's Approve (two are needed on accounts with `approvals = 2`)."""

    request_id: int = Field(primary_key=True, foreign_key="accessrequest.id")
    approver: str = Field(primary_key=True, max_length=32)
    at: datetime = Field(sa_type=UTCDateTime)


class AccessDecision(SQLModel, table=True):
    """The one decision on a request: its primary key makes every other click the loser."""

    request_id: int = Field(primary_key=True, foreign_key="accessrequest.id")
    outcome: str = Field(max_length=16)  # granted | denied | break_glass
    decided_by: str = Field(max_length=32)
    decided_at: datetime = Field(sa_type=UTCDateTime)
    reason: str = Field(default="", sa_type=Text)


class AccessSecret(SQLModel, table=True):
    """An account's secret, Fernet-encrypted (never a plaintext column)."""

    account_id: int = Field(primary_key=True, foreign_key="account.id")
    ciphertext: str = Field(sa_type=Text)
    set_by: str = Field(max_length=32)
    rotated_at: datetime = Field(sa_type=UTCDateTime)
    # The first password reveal since the last rotation, and the last rotation prompt.
    revealed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    prompted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class AccessCopy(SQLModel, table=True):
    """Where a request was posted (access_channel, or each approver's DM), to update every copy."""

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="accessrequest.id", index=True)
    role: str = Field(default="approver", max_length=16)  # approver | requester
    channel: str = Field(max_length=32)
    ts: str = Field(max_length=32)


class AccessNotice(SQLModel, table=True):
    """A notice the expiry job owes someone, recorded in the same transaction as the change that
    caused it (so a crash loses nothing), then sent once: the unique key sees to that."""

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(sa_column=Column(String(120), unique=True, nullable=False))
    kind: str = Field(max_length=24)
    recipient: str = Field(max_length=32)
    request_id: int | None = Field(default=None, foreign_key="accessrequest.id")
    account_id: int | None = Field(default=None, foreign_key="account.id")
    state: str = Field(default="pending", max_length=16, index=True)
    created_at: datetime = Field(sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class AccessAudit(SQLModel, table=True):
    """Append-only and hash-chained (bot/access/audit.py): rows are only ever inserted."""

    seq: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    at: datetime = Field(sa_type=UTCDateTime)
    kind: str = Field(max_length=24)
    actor: str = Field(max_length=32)
    account: str = Field(default="", max_length=130, index=True)
    request_id: int | None = Field(default=None)
    detail: str = Field(default="", sa_type=Text)
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)
