"""The organisation file (TOML): parsed and validated in full before anything is stored."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from bot.organisation.platforms import PLATFORM_NAMES, Platform, parse_account_ref
from bot.slack_ids import is_channel_id, is_user_id
from bot.text import capped, clip


class AccountKind(StrEnum):
    ORGANISATION = "organisation"
    LEADER = "leader"


def _user_id(value: str) -> str:
    if not is_user_id(value):
        raise ValueError(f"{value!r} is not a Slack user ID (like U012AB3CD)")
    return value


def _channel_id(value: str) -> str:
    if not is_channel_id(value):
        raise ValueError(f"{value!r} is not a Slack channel ID (like C012AB3CD)")
    return value


UserId = Annotated[str, AfterValidator(_user_id)]
ChannelId = Annotated[str, AfterValidator(_channel_id)]


def _no_repeats(values: list[str]) -> list[str]:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise ValueError(f"{value} is listed twice")
        seen.add(value)
    return values


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _days_before(values: list[int]) -> list[int]:
    if len(set(values)) != len(values):
        raise ValueError("a day is listed twice")
    return sorted(values, reverse=True)


DaysBefore = Annotated[
    list[Annotated[int, Field(ge=0, le=60)]], AfterValidator(_days_before), Field(min_length=1)
]


class RuleSpec(_Strict):
    """Every `days` of the week, a slot on `platform` about `topic`, rotating `contributors`."""

    days: list[str] = Field(min_length=1)
    platform: Platform
    topic: str = Field(min_length=1, max_length=200)
    contributors: Annotated[list[UserId], AfterValidator(_no_repeats)] = Field(min_length=1)
    account: str | None = None
    time: str | None = Field(default=None, pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    starts: date | None = None
    ends: date | None = None

    @field_validator("days")
    @classmethod
    def _weekdays(cls, values: list[str]) -> list[str]:
        days = [v.strip().lower()[:3] for v in values]
        for value, day in zip(values, days, strict=True):
            if day not in WEEKDAYS:
                raise ValueError(f"{value!r} is not a day of the week (mon … sun)")
        return _no_repeats(days)

    @field_validator("account")
    @classmethod
    def _strip_at(cls, value: str | None) -> str | None:
        return value.removeprefix("@") if value else value


class DepartmentSpec(_Strict):
    name: str = Field(min_length=1, max_length=80)
    review_channel: ChannelId
    coordinators: Annotated[list[UserId], AfterValidator(_no_repeats)] = Field(min_length=1)
    contributors: Annotated[list[UserId], AfterValidator(_no_repeats)] = Field(default=[])
    # Stand in for the coordinators (review, decide) while those are away.
    backup_coordinators: Annotated[list[UserId], AfterValidator(_no_repeats)] = Field(default=[])
    reminder_days_before: DaysBefore | None = None
    rules: list[RuleSpec] = Field(default=[])


class ProtocolsSpec(_Strict):
    """The organisation's posting protocols, checked on every draft."""

    banned_phrases: list[str] = Field(default=[])  # a draft using one cannot be submitted
    words_to_avoid: list[str] = Field(default=[])  # a warning for the reviewer
    disclosure_tags: list[str] = Field(default=["#ad"])  # one is required on sponsored posts
    max_hashtags: int = Field(default=5, ge=0, le=30)


class RemindersSpec(_Strict):
    days_before: DaysBefore = Field(default=[7, 2, 0])
    hour: int = Field(default=9, ge=6, le=18)  # in each contributor's own timezone
    escalate_after_days: int = Field(default=3, ge=1, le=30)
    review_nudge_after_hours: int = Field(default=24, ge=1, le=200)  # working hours
    blackout_dates: list[date] = Field(default=[])


class AccountSpec(_Strict):
    platform: Platform
    handle: str = Field(min_length=1, max_length=100)
    kind: AccountKind = AccountKind.ORGANISATION
    department: str | None = None
    max_access: str = "8h"  # the longest `/access request` grant, like "4h" or "1d"
    approvals: int = Field(default=1, ge=1, le=2)  # approvals an access request needs

    @field_validator("handle")
    @classmethod
    def _strip_at(cls, value: str) -> str:
        return value.removeprefix("@")

    @field_validator("max_access")
    @classmethod
    def _duration(cls, value: str) -> str:
        from bot.access.durations import parse_duration

        if not isinstance(parse_duration(value), timedelta):
            raise ValueError(f"{value!r} is not a duration like 30m, 4h or 1d")
        return value

    @property
    def max_access_minutes(self) -> int:
        from bot.access.durations import parse_duration

        duration = parse_duration(self.max_access)
        assert isinstance(duration, timedelta)
        return int(duration.total_seconds() // 60)


def _account_ref(value: str) -> str:
    parsed = parse_account_ref(value)
    if parsed is None:
        raise ValueError(
            f"{value!r} is not an account named platform:handle (e.g. linkedin:acme; "
            f"platforms: {PLATFORM_NAMES})"
        )
    return f"{parsed[0].value}:{parsed[1]}"


AccountRef = Annotated[str, AfterValidator(_account_ref)]
Share = Annotated[float, Field(gt=0, le=1)]


class AccountGoalSpec(_Strict):
    """Targets for one account, overriding the organisation's."""

    account: AccountRef
    engagement_rate: Share | None = None
    follower_growth: Annotated[float, Field(gt=0, le=10)] | None = None
    impressions: Annotated[int, Field(gt=0, le=10**12)] | None = None
    reach: Annotated[int, Field(gt=0, le=10**12)] | None = None


class GoalsSpec(_Strict):
    """The organisation's measures of success, per month unless stated."""

    engagement_rate: Share | None = None  # interactions / impressions
    follower_growth: Annotated[float, Field(gt=0, le=10)] | None = None  # new / at month start
    on_time: Share | None = None  # share of slots published by their due time
    impressions: Annotated[int, Field(gt=0, le=10**12)] | None = None
    reach: Annotated[int, Field(gt=0, le=10**12)] | None = None
    accounts: list[AccountGoalSpec] = Field(default=[])


class OrganisationSpec(_Strict):
    name: str = Field(default="", max_length=120)
    timezone: str
    leadership_channel: ChannelId
    access_channel: ChannelId | None = None  # access requests go here, else to approvers' DMs
    overall_coordinators: Annotated[list[UserId], AfterValidator(_no_repeats)] = Field(min_length=1)
    # People who may ask for the monthly report on demand, besides the coordinators.
    leadership: Annotated[list[UserId], AfterValidator(_no_repeats)] = Field(default=[])
    default_due_hour: int = Field(default=12, ge=0, le=23)
    reminders: RemindersSpec = Field(default_factory=RemindersSpec)
    protocols: ProtocolsSpec = Field(default_factory=ProtocolsSpec)
    departments: list[DepartmentSpec] = Field(min_length=1)
    accounts: list[AccountSpec] = Field(default=[])
    goals: GoalsSpec = Field(default_factory=GoalsSpec)

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"{value!r} is not a timezone name (use an IANA name like Europe/London)"
            ) from None
        return value

    @model_validator(mode="after")
    def _cross_references(self) -> OrganisationSpec:
        names: dict[str, int] = {}
        for index, department in enumerate(self.departments):
            key = department.name.casefold()
            if key in names:
                raise _ItemError(
                    ("departments", index, "name"),
                    f"department {department.name!r} is already defined "
                    f"(departments item {names[key] + 1})",
                )
            names[key] = index
        handles: dict[tuple[str, str], int] = {}
        for index, account in enumerate(self.accounts):
            account_key = (account.platform.value, account.handle.casefold())
            if account_key in handles:
                raise _ItemError(
                    ("accounts", index, "handle"),
                    f"{account.platform.value} account {account.handle!r} is already defined "
                    f"(accounts item {handles[account_key] + 1})",
                )
            handles[account_key] = index
            if account.department is not None and account.department.casefold() not in names:
                raise _ItemError(
                    ("accounts", index, "department"),
                    f"no department is named {account.department!r}",
                )
        for d_index, department in enumerate(self.departments):
            members = set(department.contributors) | set(department.coordinators)
            for r_index, rule in enumerate(department.rules):
                loc: tuple[str | int, ...] = ("departments", d_index, "rules", r_index)
                strangers = [u for u in rule.contributors if u not in members]
                if strangers:
                    raise _ItemError(
                        (*loc, "contributors"),
                        f"{', '.join(strangers)} not in {department.name}'s contributors or "
                        "coordinators",
                    )
                if rule.account and (rule.platform.value, rule.account.casefold()) not in handles:
                    raise _ItemError(
                        (*loc, "account"),
                        f"no {rule.platform.value} account {rule.account!r} in [[accounts]]",
                    )
                if rule.starts and rule.ends and rule.ends < rule.starts:
                    raise _ItemError((*loc, "ends"), "ends before it starts")
        seen_goals: dict[str, int] = {}
        for index, goal in enumerate(self.goals.accounts):
            loc = ("goals", "accounts", index, "account")
            platform, _, handle = goal.account.partition(":")
            if (platform, handle.casefold()) not in handles:
                raise _ItemError(loc, f"no account {goal.account!r} in [[accounts]]")
            goal_key = goal.account.casefold()
            if goal_key in seen_goals:
                raise _ItemError(
                    loc,
                    f"{goal.account} already has goals "
                    f"(goals.accounts item {seen_goals[goal_key] + 1})",
                )
            seen_goals[goal_key] = index
        return self

    def department_named(self, name: str | None) -> DepartmentSpec | None:
        if name is None:
            return None
        return next((d for d in self.departments if d.name.casefold() == name.casefold()), None)


class _ItemError(ValueError):
    """A cross-reference problem that knows which item it belongs to."""

    def __init__(self, loc: tuple[str | int, ...], message: str) -> None:
        super().__init__(message)
        self.loc = loc


@dataclass(frozen=True)
class SpecProblem:
    where: str
    line: int | None
    message: str

    def __str__(self) -> str:
        line = f"line {self.line}: " if self.line else ""
        return f"{line}{self.where}: {self.message}"


class OrganisationFileError(Exception):
    def __init__(self, problems: list[SpecProblem]) -> None:
        super().__init__("\n".join(capped([str(p) for p in problems])))
        self.problems = problems


def parse_organisation(text: str) -> OrganisationSpec:
    """Parse and validate the whole file; raise OrganisationFileError listing every problem."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise OrganisationFileError([SpecProblem("file", None, f"not valid TOML: {exc}")]) from None
    try:
        return OrganisationSpec.model_validate(data)
    except ValidationError as exc:
        problems = [_problem(text, data, error) for error in exc.errors()]
        raise OrganisationFileError(problems) from None


def _problem(text: str, data: dict[str, Any], error: Any) -> SpecProblem:
    loc: tuple[str | int, ...] = tuple(error["loc"])
    message: str = error["msg"].removeprefix("Value error, ")
    ctx_error = (error.get("ctx") or {}).get("error")
    if isinstance(ctx_error, _ItemError):
        loc = ctx_error.loc
        message = str(ctx_error)
    elif error["type"] == "extra_forbidden":
        message = f"unknown key {loc[-1]!r}"
    elif error["type"] == "missing":
        message = f"{loc[-1]!r} is required"
    elif error["type"] == "enum" and "platform" in loc:
        message = f"{clip(str(error['input']))!r} is not a platform we know ({PLATFORM_NAMES})"
    return SpecProblem(_describe(data, loc), _line_of(text, loc), message)


def _describe(data: dict[str, Any], loc: tuple[str | int, ...]) -> str:
    """departments item 2 ("Sales") → coordinators[1], counting from 1 like people do."""
    parts: list[str] = []
    node: Any = data
    for index, key in enumerate(loc):
        if isinstance(key, int):
            label = f"item {key + 1}"
            item = node[key] if isinstance(node, list) and key < len(node) else None
            named = (
                item.get("name") or item.get("handle") or item.get("account")
                if isinstance(item, dict)
                else None
            )
            if isinstance(named, str):
                label += f' ("{named}")'
            elif index > 0 and isinstance(item, str):
                label = f"entry {key + 1}"
            parts[-1] = f"{parts[-1]} {label}"
            node = item
        else:
            parts.append(key)
            node = node.get(key) if isinstance(node, dict) else None
    return " → ".join(parts) or "file"


def _line_of(text: str, loc: tuple[str | int, ...]) -> int | None:
    """Best-effort line number: the n-th [[table]] header, then the key within it."""
    lines = text.splitlines()
    start, end = 0, len(lines)
    rest = list(loc)
    if len(rest) >= 3 and rest[:2] == ["goals", "accounts"]:
        rest = ["goals.accounts", *rest[2:]]  # [[goals.accounts]] is its own array of tables
    elif len(rest) >= 2 and isinstance(rest[0], str) and isinstance(rest[1], str):
        table = re.compile(rf"^\s*\[\s*{re.escape(rest[0])}\s*\]")
        found = [i for i, line in enumerate(lines) if table.match(line)]
        if found:  # a key inside a [table]
            start = found[0]
            following = [
                i for i, line in enumerate(lines) if i > start and line.lstrip().startswith("[")
            ]
            end = following[0] if following else len(lines)
            rest = rest[1:]
    if len(rest) >= 2 and isinstance(rest[0], str) and isinstance(rest[1], int):
        header = re.compile(rf"^\s*\[\[\s*{re.escape(rest[0])}\s*\]\]")
        headers = [i for i, line in enumerate(lines) if header.match(line)]
        if rest[1] >= len(headers):
            return None
        start = headers[rest[1]]
        following = [
            i for i, line in enumerate(lines) if i > start and line.lstrip().startswith("[")
        ]
        end = following[0] if following else len(lines)
        rest = rest[2:]
        if not rest:
            return start + 1
    elif rest and isinstance(rest[0], str):
        tables = [i for i, line in enumerate(lines) if line.lstrip().startswith("[")]
        end = tables[0] if tables else len(lines)
    if rest and isinstance(rest[0], str):
        key = re.compile(rf"^\s*{re.escape(rest[0])}\s*=")
        for i in range(start, end):
            if key.match(lines[i]):
                return i + 1
    return start + 1 if start else None
