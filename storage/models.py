"""Table models. Enumerated values are stored as short strings so migrations stay portable."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, String, UniqueConstraint
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
    updated_at: datetime = _ts()  # type: ignore[assignment]


class Department(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=80, unique=True)
    review_channel: str = Field(max_length=32)
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
