"""Tables for the monthly report: each report sent (or asked for) exactly once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, String
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime, utcnow


class ReportDelivery(SQLModel, table=True):
    """One report to one place. The unique key ("monthly:2027-01", "request:<uuid>") is claimed
    before anything is posted, so a second worker, a retry or a re-run cannot post it again;
    the top-level message carries the key in its metadata, so a crash between posting and
    recording is settled by looking for it. States: queued (asked for on demand, not yet
    made) → sending (claimed; the message may be in flight) → posted (message there, thread
    still being written) → done; or failed (Slack refused; nothing was posted)."""

    __tablename__ = "report_delivery"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(sa_column=Column(String(64), unique=True, nullable=False))
    kind: str = Field(max_length=16)  # monthly | request
    month: str = Field(max_length=7)  # YYYY-MM
    department: str | None = Field(default=None, max_length=80)
    recipient: str = Field(max_length=32)  # a channel, or the user whose DM it goes to
    requested_by: str = Field(default="", max_length=32)
    state: str = Field(default="queued", max_length=16, index=True)
    channel: str | None = Field(default=None, max_length=32)
    ts: str | None = Field(default=None, max_length=32)
    charts_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    claimed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    error: str = Field(default="", max_length=100)
