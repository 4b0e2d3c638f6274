"""The organisation file (TOML): parsed and validated in full before anything is stored."""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Annotated, Any, TypeGuard, get_args
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator

from bot.organisation.platforms import PLATFORM_NAMES, Platform, parse_account_ref
from bot.organisation.toml_lines import key_lines, line_of
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
    time: str | None = None
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

    @field_validator("time")
    @classmethod
    def _time_of_day(cls, value: str | None) -> str | None:
        if value is not None and not _TIME.match(value):
            raise ValueError(f"{clip(value)!r} is not a time of day (HH:MM, 24-hour, like 09:30)")
        return value


_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


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
    min_lead_hours: int = Field(default=2, ge=0, le=12)  # a reminder leaves at least this long
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

    def department_named(self, name: str | None) -> DepartmentSpec | None:
        if name is None:
            return None
        return next((d for d in self.departments if d.name.casefold() == name.casefold()), None)


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
    """Parse and validate the whole file: the only way in. Raises OrganisationFileError listing
    every problem of the file at once (fields and cross-references alike), sorted by line."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise OrganisationFileError([_syntax_problem(exc)]) from None
    lines = key_lines(text)
    found: list[tuple[Loc, str]] = []
    spec: OrganisationSpec | None = None
    try:
        spec = OrganisationSpec.model_validate(data)
    except ValidationError as exc:
        found += [_explain(error) for error in exc.errors()]
    found += cross_reference_problems(data)
    if found or spec is None:
        problems = {SpecProblem(_describe(data, loc), line_of(lines, loc), m) for loc, m in found}
        raise OrganisationFileError(sorted(problems, key=lambda p: (p.line or 0, p.where)))
    return spec


def _syntax_problem(exc: tomllib.TOMLDecodeError) -> SpecProblem:
    message = str(exc)
    at = re.search(r"\s*\(at line (\d+), column \d+\)$", message)
    line = int(at.group(1)) if at else None
    reason = message[: at.start()] if at else message
    return SpecProblem("file", line, f"not valid TOML ({reason[:1].lower() + reason[1:]})")


Loc = tuple[str | int, ...]


def cross_reference_problems(data: dict[str, Any]) -> list[tuple[Loc, str]]:
    """What no single field can tell: names defined twice, references to departments, accounts
    and people that are not there. Works on the raw file, so these are found in the same run
    as any field's problems; a value that is itself malformed is left to its field's check."""
    found: list[tuple[Loc, str]] = []
    departments = _items(data.get("departments"))
    names: dict[str, int] = {}
    spelled: list[str] = []
    for index, department in departments:
        name = _text(department.get("name"))
        if name and name.casefold() in names:
            first = names[name.casefold()] + 1
            found.append(
                (
                    ("departments", index, "name"),
                    f"department {name!r} is already defined (departments item {first})",
                )
            )
        elif name:
            names[name.casefold()] = index
            spelled.append(name)
    handles: dict[tuple[str, str], int] = {}
    for index, account in _items(data.get("accounts")):
        platform = _text(account.get("platform"))
        handle = _text(account.get("handle")).removeprefix("@")
        key = (platform, handle.casefold())
        if platform and handle and key in handles:
            found.append(
                (
                    ("accounts", index, "handle"),
                    f"{platform} account {handle!r} is already defined "
                    f"(accounts item {handles[key] + 1})",
                )
            )
        elif platform and handle:
            handles[key] = index
        owner = _text(account.get("department"))
        if owner and owner.casefold() not in names:
            found.append(
                (
                    ("accounts", index, "department"),
                    f"no department is named {owner!r}{_did_you_mean(owner, spelled)}",
                )
            )
    for d_index, department in departments:
        members = {
            _text(u) for key in ("contributors", "coordinators") for u in _list(department.get(key))
        }
        name = _text(department.get("name")) or f"departments item {d_index + 1}"
        for r_index, rule in _items(department.get("rules")):
            loc: Loc = ("departments", d_index, "rules", r_index)
            for p_index, person in enumerate(_list(rule.get("contributors"))):
                if is_user_id(_text(person)) and _text(person) not in members:
                    found.append(
                        (
                            (*loc, "contributors", p_index),
                            f"{_text(person)} not in {name}'s contributors or coordinators "
                            "(add them to the department, or take them out of this rule)",
                        )
                    )
            platform = _text(rule.get("platform"))
            handle = _text(rule.get("account")).removeprefix("@")
            if platform and handle and (platform, handle.casefold()) not in handles:
                found.append(
                    (
                        (*loc, "account"),
                        f"no {platform} account {handle!r} is defined in [[accounts]]",
                    )
                )
            starts, ends = rule.get("starts"), rule.get("ends")
            if _is_date(starts) and _is_date(ends) and ends < starts:
                found.append(((*loc, "ends"), f"ends ({ends}) is before starts ({starts})"))
    goals = data.get("goals")
    seen_goals: dict[str, int] = {}
    for index, goal in _items(goals.get("accounts") if isinstance(goals, dict) else None):
        loc = ("goals", "accounts", index, "account")
        ref = _text(goal.get("account"))
        platform, _, handle = ref.partition(":")
        if not ref or (platform, handle.removeprefix("@").casefold()) in handles:
            pass
        else:
            known = [f"{p}:{h}" for p, h in handles]
            found.append((loc, f"no account {ref!r} in [[accounts]]{_did_you_mean(ref, known)}"))
        if ref and ref.casefold() in seen_goals:
            first = seen_goals[ref.casefold()] + 1
            found.append((loc, f"{ref} already has goals (goals.accounts item {first})"))
        elif ref:
            seen_goals[ref.casefold()] = index
    return found


def _items(value: Any) -> list[tuple[int, dict[str, Any]]]:
    return [(i, v) for i, v in enumerate(_list(value)) if isinstance(v, dict)]


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _is_date(value: Any) -> TypeGuard[date]:
    return isinstance(value, date) and not isinstance(value, datetime)


def _did_you_mean(word: str, choices: Iterable[str]) -> str:
    """(did you mean 'Marketing'?) for the closest choice, ignoring case; or nothing."""
    spelled = {choice.casefold(): choice for choice in choices}
    close = difflib.get_close_matches(word.casefold(), list(spelled), n=1, cutoff=0.6)
    return f" (did you mean {spelled[close[0]]!r}?)" if close else ""


def _explain(error: Any) -> tuple[Loc, str]:
    """A pydantic error in the words of someone editing the file."""
    loc: Loc = tuple(error["loc"])
    kind: str = error["type"]
    ctx: dict[str, Any] = error.get("ctx") or {}
    given = error.get("input")
    shown = repr(clip(str(given))) if isinstance(given, str) else clip(str(given))
    if kind == "extra_forbidden":
        known = _known_keys(loc[:-1])
        hint = _did_you_mean(str(loc[-1]), known)
        if not hint and known:
            hint = f" (keys here: {', '.join(known)})"
        return loc, f"unknown key {loc[-1]!r}{hint}"
    if kind == "missing":
        return loc, f"{loc[-1]!r} is required"
    if kind == "too_short":
        if isinstance(given, str):
            return loc, "must not be empty"
        least = ctx.get("min_length", 1)
        return loc, "needs at least one entry" if least == 1 else f"needs at least {least} entries"
    if kind == "string_too_long":
        return loc, f"is too long (at most {ctx.get('max_length')} characters)"
    if kind == "too_long":
        return loc, f"has too many entries (at most {ctx.get('max_length')})"
    if kind == "greater_than_equal":
        return loc, f"must be at least {ctx.get('ge')} (it is {shown})"
    if kind == "greater_than":
        return loc, f"must be more than {ctx.get('gt')} (it is {shown})"
    if kind == "less_than_equal":
        return loc, f"must be at most {ctx.get('le')} (it is {shown})"
    if kind == "less_than":
        return loc, f"must be less than {ctx.get('lt')} (it is {shown})"
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return loc, f"must be a whole number without quotes (it is {shown})"
    if kind in {"string_type"}:
        return loc, f"must be text in quotes (it is {shown})"
    if kind in {"list_type"}:
        return loc, f'must be a list in square brackets, like ["…"] (it is {shown})'
    if kind in {"model_type", "dict_type", "model_attributes_type"}:
        return loc, f"must be a table (it is {shown})"
    if kind.startswith("date_"):
        return loc, f"{shown} is not a date (write it as YYYY-MM-DD, without quotes)"
    if kind == "enum" and "platform" in loc:
        return loc, f"{shown} is not a platform we know ({PLATFORM_NAMES})"
    if kind == "enum":
        return loc, f"{shown} is not one of {ctx.get('expected', 'the allowed values')}"
    message: str = error["msg"].removeprefix("Value error, ")
    return loc, message[:1].lower() + message[1:]


def _known_keys(loc: Loc) -> list[str]:
    """The keys the table at loc accepts, for "did you mean"."""
    model: type[BaseModel] | None = OrganisationSpec
    for part in loc:
        if model is None:
            return []
        if isinstance(part, str):
            field = model.model_fields.get(part)
            model = _model_in(field.annotation) if field else None
    return list(model.model_fields) if model else []


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _describe(data: dict[str, Any], loc: tuple[str | int, ...]) -> str:
    """departments item 2 ("Sales") → coordinators[1], counting from 1 like people do."""
    parts: list[str] = []
    node: Any = data
    for index, key in enumerate(loc):
        if isinstance(key, int):
            label = f"item {key + 1}"
            item = node[key] if isinstance(node, list) and key < len(node) else None
            in_goals = parts[-2:] == ["goals", "accounts"]  # [[goals.accounts]] name an account
            named = (
                item.get("name")
                or item.get("handle")
                or (item.get("account") if in_goals else None)
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
