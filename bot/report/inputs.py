"""What the report is computed from: plain records, whatever store or file they came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.schedule.timing import Month


class Kind(StrEnum):
    ORGANISATION = "organisation"
    LEADER = "leader"


@dataclass(frozen=True)
class Account:
    ref: str  # platform:handle
    kind: Kind = Kind.ORGANISATION
    department: str | None = None

    @property
    def platform(self) -> str:
        return self.ref.partition(":")[0]


@dataclass(frozen=True)
class Post:
    """One post with its lifetime totals. interactions = reactions/likes + comments/replies +
    shares/reposts + saves/bookmarks; clicks are kept apart."""

    account: str
    published_at: datetime  # UTC
    format: str  # video, image, link, text, carousel, …
    impressions: int | None
    reach: int | None
    interactions: int
    clicks: int | None = None
    url: str = ""
    title: str = ""
    department: str | None = None
    has_time: bool = True  # False when the platform gave only a date

    @property
    def engagement_rate(self) -> float | None:
        if not self.impressions:
            return None
        return self.interactions / self.impressions


@dataclass(frozen=True)
class AccountDay:
    account: str
    day: date
    impressions: int | None = None
    followers: int | None = None
    new_followers: int | None = None


@dataclass(frozen=True)
class SlotRecord:
    department: str
    due_at: datetime
    published_at: datetime | None = None
    cancelled: bool = False


@dataclass(frozen=True)
class ReviewRecord:
    department: str
    reviewer: str
    submitted_at: datetime
    decided_at: datetime

    @property
    def hours(self) -> float:
        return max(0.0, (self.decided_at - self.submitted_at).total_seconds() / 3600)


@dataclass(frozen=True)
class Targets:
    engagement_rate: float | None = None
    follower_growth: float | None = None
    impressions: int | None = None
    reach: int | None = None


@dataclass(frozen=True)
class Goals:
    organisation: Targets = field(default_factory=Targets)
    on_time: float | None = None
    accounts: dict[str, Targets] = field(default_factory=dict)

    def for_account(self, ref: str) -> Targets:
        """An account's own targets, falling back to the organisation's rates (not its totals:
        an organisation-wide impressions target is not any one account's)."""
        own = self.accounts.get(ref, Targets())
        return Targets(
            engagement_rate=own.engagement_rate or self.organisation.engagement_rate,
            follower_growth=own.follower_growth or self.organisation.follower_growth,
            impressions=own.impressions,
            reach=own.reach,
        )


@dataclass(frozen=True)
class Settings:
    window_days: int = 90  # the advice rests on this much post history, up to the month's end
    min_group_posts: int = 10  # fewer posts in a group (or in the rest) and no claim is made
    min_account_posts: int = 20
    false_discovery_rate: float = 0.05  # Benjamini–Hochberg, across every comparison made
    giant_ratio: float = 3.0  # "far above": this many times the comparison's median reach
    min_reviews: int = 3
    seed: int = 12  # permutations are seeded, so the same data always gives the same report


@dataclass(frozen=True)
class ReportInput:
    month: Month
    timezone: ZoneInfo
    accounts: tuple[Account, ...]
    posts: tuple[Post, ...]
    days: tuple[AccountDay, ...]
    slots: tuple[SlotRecord, ...]
    reviews: tuple[ReviewRecord, ...]
    goals: Goals
    departments: tuple[str, ...]
    organisation: str = ""
    department: str | None = None  # a department's own report
    settings: Settings = field(default_factory=Settings)
