"""Tables for imported analytics and the organisation's goals.

A post is one row per (platform, native id) holding its lifetime totals as of the latest
export; an account's daily figures are one row per (account, day). Counts the platform left out
are NULL (unknown), never 0. `interactions` is stored beside the raw counts so reports can sum
it and divide by impressions without re-deriving the definition (bot/analytics/measures.py)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Column, Index, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime, utcnow


def _count() -> object:
    return Field(default=None, sa_type=BigInteger)  # type: ignore[call-overload]


class MetricImport(SQLModel, table=True):
    """One imported file: who, what, when, and what it changed."""

    __tablename__ = "metric_import"
    __table_args__ = (Index("ix_metric_import_account_at", "account_id", "imported_at"),)

    id: int | None = Field(default=None, primary_key=True)
    account_id: int | None = Field(default=None, foreign_key="account.id")  # None: several
    format: str = Field(max_length=40)
    source: str = Field(max_length=200)  # the file's name
    digest: str = Field(max_length=64)  # sha256 of the bytes
    imported_by: str = Field(max_length=32)  # Slack user id, or "cli"
    imported_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)  # type: ignore[call-overload]
    posts_new: int = 0
    posts_updated: int = 0
    posts_unchanged: int = 0
    days: int = 0
    first_day: date | None = None
    last_day: date | None = None
    warnings: str = Field(default="[]", sa_type=Text)  # type: ignore[call-overload]  (JSON)


class MetricPost(SQLModel, table=True):
    """One published post and its lifetime totals."""

    __tablename__ = "metric_post"
    __table_args__ = (
        UniqueConstraint("platform", "native_id", name="uq_metric_post_platform_native"),
        Index("ix_metric_post_account_published", "account_id", "published_at"),
        Index("ix_metric_post_url_key", "url_key"),
    )

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=20)
    native_id: str = Field(sa_column=Column(String(100), nullable=False))
    account_id: int = Field(foreign_key="account.id")
    published_at: datetime = Field(sa_type=UTCDateTime)  # type: ignore[call-overload]
    time_known: bool = True  # False when the export gives only the day (then 00:00 UTC)
    url: str | None = Field(default=None, max_length=500)
    url_key: str | None = Field(default=None, max_length=300)  # bot/analytics/urls.py
    format: str = Field(default="unknown", max_length=16)  # text|image|carousel|video|link|…
    raw_type: str = Field(default="", max_length=60)  # the platform's own label
    sponsored: bool | None = None
    text: str = Field(default="", max_length=200)  # the start of the caption
    impressions: int | None = _count()  # Meta "Views" (formerly "Impressions")
    reach: int | None = _count()
    reactions: int | None = _count()  # reactions / likes
    comments: int | None = _count()  # comments / replies
    shares: int | None = _count()  # shares + reposts
    saves: int | None = _count()  # saves / bookmarks
    clicks: int | None = _count()
    follows: int | None = _count()
    engagements: int | None = _count()  # the platform's own total, whatever it includes
    interactions: int | None = _count()  # our definition; NULL when nothing is known
    slot_id: int | None = Field(default=None, foreign_key="slot.id", index=True)
    import_id: int = Field(foreign_key="metric_import.id")  # the import that last changed it
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)  # type: ignore[call-overload]
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)  # type: ignore[call-overload]


class MetricDay(SQLModel, table=True):
    """One account's figures for one day (UTC day as the platform reports it)."""

    __tablename__ = "metric_day"
    __table_args__ = (UniqueConstraint("account_id", "day", name="uq_metric_day_account_day"),)

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id")
    day: date
    impressions: int | None = _count()
    reach: int | None = _count()
    engagements: int | None = _count()
    interactions: int | None = _count()
    clicks: int | None = _count()
    followers_gained: int | None = _count()
    followers: int | None = _count()  # total at the end of the day, where the export says
    import_id: int = Field(foreign_key="metric_import.id")


class Goal(SQLModel, table=True):
    """A target from the organisation file's [goals]: organisation-wide (no account) or one
    account's override. Replaced whole by every `org load`."""

    __table_args__ = (UniqueConstraint("account_id", "measure", name="uq_goal_account_measure"),)

    id: int | None = Field(default=None, primary_key=True)
    account_id: int | None = Field(default=None, foreign_key="account.id")
    measure: str = Field(max_length=32)  # engagement_rate | follower_growth | on_time | …
    target: float
