"""Parsing a schedule CSV into slots. Every row is checked; any problem rejects the whole file."""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from bot.organisation.platforms import PLATFORM_NAMES, Platform, parse_platform
from bot.schedule.timing import SCHEDULE_YEARS, NonexistentLocalTime, local_to_utc
from bot.slack_ids import is_user_id
from bot.text import SHOWN, capped, clean, clip, shown

REQUIRED_COLUMNS = ("department", "due", "platform", "topic", "contributor")
OPTIONAL_COLUMNS = ("account",)
MAX_TOPIC = 200


@dataclass(frozen=True)
class DepartmentRef:
    id: int
    name: str
    members: frozenset[str]


@dataclass(frozen=True)
class ImportContext:
    timezone: ZoneInfo
    default_due_hour: int
    departments: dict[str, DepartmentRef]  # by casefolded name
    accounts: dict[tuple[str, str], int]  # (platform, casefolded handle) -> account id


@dataclass(frozen=True)
class SlotRow:
    row: int
    department_id: int
    due_at: datetime
    platform: Platform
    account_id: int | None
    topic: str
    contributor_id: str

    @property
    def natural_key(self) -> str:
        return slot_key(self.department_id, self.due_at, self.platform, self.account_id, self.topic)


def slot_key(
    department_id: int, due_at: datetime, platform: str, account_id: int | None, topic: str
) -> str:
    """What makes a slot the same slot again: not who writes it, which can change."""
    raw = f"{department_id}|{due_at.isoformat()}|{platform}|{account_id or ''}|{topic.casefold()}"
    return hashlib.sha256(raw.encode()).hexdigest()


@dataclass(frozen=True)
class RowProblem:
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [f"row {self.row}" if self.row else "file"]
        if self.column:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.message}"


class ScheduleImportError(Exception):
    def __init__(self, problems: list[RowProblem]) -> None:
        super().__init__("\n".join(self.lines(problems)))
        self.problems = problems

    @staticmethod
    def lines(problems: list[RowProblem]) -> list[str]:
        """What to show: the first problems, and a count of the rest."""
        return capped([str(p) for p in problems])


def parse_schedule_csv(text: str, context: ImportContext) -> list[SlotRow]:
    """Rows are numbered as a spreadsheet shows them: the header is row 1."""
    unreadable: list[RowProblem] = []
    records = _records(text, unreadable)
    header = next(records, None)
    if unreadable:
        raise ScheduleImportError(unreadable)
    if header is None:
        raise ScheduleImportError([RowProblem(None, None, "the file is empty")])
    columns = [c.strip().lower() for c in header[1]]
    problems = _header_problems(columns)
    if problems:
        raise ScheduleImportError(problems)

    rows: list[SlotRow] = []
    first_seen: dict[str, int] = {}
    for number, values in records:
        if not any(v.strip() for v in values):
            continue
        if len(values) > len(columns):
            problems.append(
                RowProblem(number, None, f"{len(values)} values for {len(columns)} columns")
            )
            continue
        record = dict(zip(columns, [clean(v).strip() for v in values], strict=False))
        row, row_problems = _parse_row(number, record, context)
        problems += row_problems
        if row is None:
            continue
        if row.natural_key in first_seen:
            problems.append(
                RowProblem(number, None, f"the same slot as row {first_seen[row.natural_key]}")
            )
            continue
        first_seen[row.natural_key] = number
        rows.append(row)
    problems += unreadable
    if problems:
        raise ScheduleImportError(problems)
    if not rows:
        raise ScheduleImportError([RowProblem(None, None, "the file has no slots")])
    return rows


def _records(text: str, unreadable: list[RowProblem]) -> Iterator[tuple[int, list[str]]]:
    """Each row with its number. A row that is not CSV ends the file, its problem added to
    `unreadable`: nothing after it can be trusted. Strictly read: a quote never closed, or text
    after a closing quote, is a mistake to show rather than to guess at."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")), strict=True)
    number = 0
    while True:
        number += 1
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            unreadable.append(RowProblem(number, None, _unreadable_reason(exc)))
            return
        yield number, values


def _unreadable_reason(exc: csv.Error) -> str:
    reason = str(exc)
    if reason.startswith("field larger than field limit"):
        return (
            f"a value is over {csv.field_size_limit():,} characters long "
            f'(a topic may be at most {MAX_TOPIC}); is a quote (") never closed?'
        )
    if reason == "unexpected end of data":
        return 'a quoted value is never closed (unterminated ")'
    if reason.endswith("expected after '\"'"):
        return (
            "text follows a closing quote; quote the whole value and double any quote "
            'inside it ("")'
        )
    return f"not readable as CSV ({reason})"


def _header_problems(columns: list[str]) -> list[RowProblem]:
    problems = [
        RowProblem(1, name, "this column is missing")
        for name in REQUIRED_COLUMNS
        if name not in columns
    ]
    known = set(REQUIRED_COLUMNS) | set(OPTIONAL_COLUMNS)
    problems += [
        RowProblem(
            1,
            shown(name) or "(blank)",
            "unknown column; expected " + ", ".join(REQUIRED_COLUMNS) + " and optionally account",
        )
        for name in columns
        if name not in known
    ]
    problems += [
        RowProblem(1, shown(name) or "(blank)", "this column appears twice")
        for i, name in enumerate(columns)
        if name in columns[:i]
    ]
    return problems


def _parse_row(
    number: int, record: dict[str, str], context: ImportContext
) -> tuple[SlotRow | None, list[RowProblem]]:
    problems: list[RowProblem] = []

    def problem(column: str, message: str) -> None:
        problems.append(RowProblem(number, column, message))

    department = context.departments.get(record.get("department", "").casefold())
    if department is None:
        known = ", ".join(sorted(d.name for d in context.departments.values()))
        problem("department", f"no department is named {_quoted(record, 'department')} ({known})")

    due_at = None
    try:
        due_at = _parse_due(record.get("due", ""), context)
    except ValueError as exc:
        problem("due", str(exc))

    platform = parse_platform(record.get("platform", ""))
    if platform is None:
        problem("platform", f"{_quoted(record, 'platform')} is not one of {PLATFORM_NAMES}")

    topic = record.get("topic", "")
    if not topic:
        problem("topic", "a topic is required")
    elif len(topic) > MAX_TOPIC:
        problem("topic", f"{len(topic)} characters; at most {MAX_TOPIC}")

    contributor = record.get("contributor", "")
    if not is_user_id(contributor):
        problem(
            "contributor",
            f"{_quoted(record, 'contributor')} is not a Slack user ID (like U012AB3CD)",
        )
    elif department is not None and contributor not in department.members:
        problem(
            "contributor",
            f"{clip(contributor, SHOWN)} is not a contributor or coordinator of {department.name} "
            "(add them in the organisation file first)",
        )

    account_id = None
    handle = record.get("account", "").removeprefix("@")
    if handle and platform is not None:
        account_id = context.accounts.get((platform.value, handle.casefold()))
        if account_id is None:
            problem(
                "account",
                f"no {platform.value} account {clip(handle, SHOWN)!r} in the organisation file",
            )

    if problems:
        return None, problems
    assert department is not None and due_at is not None and platform is not None
    return (
        SlotRow(number, department.id, due_at, platform, account_id, topic, contributor),
        [],
    )


def _quoted(record: dict[str, str], column: str) -> str:
    """A cell, quoted as it was given but never longer than a line."""
    return repr(clip(record.get(column, ""), SHOWN))


def _parse_due(text: str, context: ImportContext) -> datetime:
    if not text:
        raise ValueError("a due date is required (YYYY-MM-DD or YYYY-MM-DDTHH:MM)")
    try:
        if len(text) == 10:
            naive = datetime.combine(date.fromisoformat(text), time(context.default_due_hour))
        else:
            naive = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(
            f"{clip(text, SHOWN)!r} is not a date or date-time (use YYYY-MM-DD or YYYY-MM-DDTHH:MM)"
        ) from None
    if naive.year not in SCHEDULE_YEARS:
        raise ValueError(
            f"{clip(text, SHOWN)!r} is outside the years {SCHEDULE_YEARS[0]}–{SCHEDULE_YEARS[-1]}"
        )
    if naive.tzinfo is not None:
        return naive.astimezone(ZoneInfo("UTC"))
    try:
        return local_to_utc(naive, context.timezone)
    except NonexistentLocalTime as exc:
        raise ValueError(f"{exc} (the clocks go forward then); pick another time") from None
