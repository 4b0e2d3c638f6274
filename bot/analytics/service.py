"""Importing one export file: detect its format, work out its account, stream its rows into
storage in batches, and link posts to the slots they published. All or nothing: any row
problem refuses the whole file (the caller's transaction rolls back) with every problem named
`sheet, row, column: why`. Idempotent: a post is keyed by platform and native id, an account's
day by account and date; a later export updates lifetime totals, the same file twice changes
nothing."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.analytics.accounts import AccountBook, KnownAccount
from bot.analytics.columns import MissingColumns
from bot.analytics.detect import Format, NotAnExport, detect
from bot.analytics.measures import interactions
from bot.analytics.records import (
    DayRecord,
    ParseContext,
    PostFormat,
    PostRecord,
    RowProblem,
    Skipped,
    Where,
)
from bot.analytics.tables import UnreadableFile, open_workbook
from bot.analytics.urls import post_key
from bot.organisation.platforms import Platform
from storage.models_analytics import MetricImport
from storage.repositories import analytics as repo
from storage.repositories import organisation as org_repo

BATCH = 1000
MAX_PROBLEMS = 30
Progress = Callable[[int, int | None], None]


class ImportRefused(Exception):
    """Nothing was imported; `problems` says why (one line each)."""

    def __init__(self, problems: list[str], *, more: int = 0) -> None:
        self.problems = problems
        self.more = more
        super().__init__("; ".join(problems))

    def lines(self) -> list[str]:
        extra = [f"… and {self.more} more problem(s)"] if self.more else []
        return [*self.problems, *extra]


@dataclass
class ImportSummary:
    source: str
    format_label: str
    accounts: list[str] = field(default_factory=list)
    posts_new: int = 0
    posts_updated: int = 0
    posts_unchanged: int = 0
    days: int = 0
    first_day: date | None = None
    last_day: date | None = None
    linked_slots: int = 0
    warnings: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        lines = [
            f"format: {self.format_label}",
            f"account: {', '.join(self.accounts) or 'none'}",
            f"posts: {self.posts_new} new, {self.posts_updated} updated, "
            f"{self.posts_unchanged} unchanged",
            f"days of account metrics: {self.days}",
        ]
        if self.first_day and self.last_day:
            lines.append(f"dates: {self.first_day.isoformat()} to {self.last_day.isoformat()}")
        if self.linked_slots:
            lines.append(f"linked to their slots: {self.linked_slots} post(s)")
        lines.extend(f"warning: {w}" for w in self.warnings)
        return lines


def account_book(session: Session) -> AccountBook:
    return AccountBook(
        KnownAccount(a.id, Platform(a.platform), a.handle)
        for a in org_repo.active_accounts(session)
        if a.id is not None
    )


def import_file(
    *,
    session: Session,
    path: Path,
    source: str,
    timezone: ZoneInfo,
    imported_by: str,
    now: datetime,
    account: str | None = None,
    progress: Progress | None = None,
) -> ImportSummary:
    """Import one file into the session's transaction; raise ImportRefused for anything wrong
    (the caller rolls back, so a refused file changes nothing)."""
    try:
        book = open_workbook(path)
    except UnreadableFile as exc:
        raise ImportRefused([f"{source} cannot be imported: {exc}"]) from None
    try:
        return _import(session, book, path, source, timezone, imported_by, now, account, progress)
    except UnreadableFile as exc:
        raise ImportRefused([f"{source} cannot be imported: {exc}"]) from None
    except MissingColumns as exc:
        raise ImportRefused([f"{source}: {exc}"]) from None
    finally:
        book.close()


def _import(
    session: Session,
    book: Any,
    path: Path,
    source: str,
    timezone: ZoneInfo,
    imported_by: str,
    now: datetime,
    account: str | None,
    progress: Progress | None,
) -> ImportSummary:
    try:
        fmt = detect(book)
    except NotAnExport as exc:
        raise ImportRefused([f"{source}: {exc}"]) from None
    accounts = account_book(session)
    resolver = _Resolver(fmt, accounts, source, account)
    import_id = repo.add_import(
        session,
        MetricImport(
            format=fmt.key,
            source=source[:200],
            digest=_digest(path),
            imported_by=imported_by[:32],
            imported_at=now,
        ),
    )
    writer = _Writer(session, import_id, now)
    summary = ImportSummary(source=source, format_label=fmt.label)
    problems: list[str] = []
    more = 0
    skipped: dict[str, list[Where]] = {}
    seen = 0
    for record in fmt.parse(book, ParseContext(timezone=timezone, filename=source)):
        if isinstance(record, RowProblem):
            if len(problems) < MAX_PROBLEMS:
                problems.append(str(record))
            else:
                more += 1
            continue
        if isinstance(record, Skipped):
            skipped.setdefault(record.why, []).append(record.where)
            continue
        try:
            account_id = resolver.account_for(record)
        except _RowRefused as exc:
            if len(problems) < MAX_PROBLEMS:
                problems.append(str(exc))
            else:
                more += 1
            continue
        if problems:
            continue  # nothing will be kept: keep reading only to report every problem
        writer.add(record, account_id)
        seen += 1
        if progress is not None and seen % BATCH == 0:
            progress(*book.progress())
    if problems:
        raise ImportRefused(
            [f"{source}: {len(problems) + more} problem(s); nothing was imported", *problems],
            more=more,
        )
    writer.flush()
    if progress is not None:
        progress(*book.progress())
    summary.linked_slots = link_published(session)
    summary.posts_new, summary.posts_updated = writer.new, writer.updated
    summary.posts_unchanged, summary.days = writer.unchanged, writer.day_count
    summary.first_day, summary.last_day = writer.first_day, writer.last_day
    summary.accounts = sorted(accounts.by_id(i).ref for i in writer.accounts if accounts.by_id(i))  # type: ignore[union-attr]
    for why, places in skipped.items():
        rows = ", ".join(str(w.row) for w in places[:5]) + ("…" if len(places) > 5 else "")
        summary.warnings.append(
            f"{len(places)} row(s) skipped: the platform left them with {why} (row {rows})"
        )
    if not writer.new + writer.updated + writer.unchanged + writer.day_count:
        summary.warnings.append("the file holds no posts and no days")
    repo.finish_import(
        session,
        import_id,
        account_id=next(iter(writer.accounts)) if len(writer.accounts) == 1 else None,
        posts_new=writer.new,
        posts_updated=writer.updated,
        posts_unchanged=writer.unchanged,
        days=writer.day_count,
        first_day=writer.first_day,
        last_day=writer.last_day,
        warnings=json.dumps(summary.warnings),
    )
    return summary


def link_published(session: Session) -> int:
    """Link every unlinked post to the slot published at the same URL (normalised)."""
    by_key: dict[str, int] = {}
    for slot_id, url in repo.published_slots(session):
        key = post_key(url)
        if key is not None:
            by_key.setdefault(key, slot_id)
    if not by_key:
        return 0
    links = [
        (post_id, by_key[key])
        for post_id, key in repo.unlinked_posts_with_keys(session, list(by_key))
    ]
    repo.link_posts(session, links)
    return len(links)


class _RowRefused(Exception):
    pass


class _Resolver:
    """The account each record belongs to: `--account`, else what the file names."""

    def __init__(self, fmt: Format, book: AccountBook, source: str, override: str | None) -> None:
        self.fmt, self.book, self.source = fmt, book, source
        self.fixed: KnownAccount | None = None
        self.cache: dict[str, KnownAccount] = {}
        if override is not None:
            known = book.named(override)
            if known is None:
                raise ImportRefused(
                    [
                        f"{override} is not an account in the organisation file "
                        f"({self._listing(None)})"
                    ]
                )
            if fmt.platform is not None and known.platform is not fmt.platform:
                raise ImportRefused(
                    [
                        f"{source} is a {fmt.label} export, but {override} is a "
                        f"{known.platform.label} account"
                    ]
                )
            self.fixed = known
        match = fmt.file_hint.match(source) if fmt.file_hint else None
        self.file_hint = match["name"] if match else None

    def account_for(self, record: PostRecord | DayRecord) -> int:
        if record.account is not None:  # the row names it (generic CSV)
            known = self.book.named(record.account)
            if known is None:
                raise _RowRefused(
                    f"{Where(record.where.sheet, record.where.row, 'account')}: "
                    f"{record.account} is not an account in the organisation file"
                )
            return known.id
        if self.fixed is not None:
            return self.fixed.id
        assert self.fmt.platform is not None
        hint = (record.hint if isinstance(record, PostRecord) else None) or self.file_hint
        if hint is None:
            raise ImportRefused(
                [
                    f"{self.source}: I cannot tell which {self.fmt.platform.label} account this "
                    f"export is for; run it again with --account "
                    f"{self.fmt.platform.value}:HANDLE ({self._listing(self.fmt.platform)})"
                ]
            )
        known = self.cache.get(hint)
        if known is None:
            found = self.book.matching(self.fmt.platform, hint)
            if len(found) != 1:
                why = "matches several accounts" if found else "is not in the organisation file"
                raise ImportRefused(
                    [
                        f"{self.source} is for {self.fmt.platform.label} account {hint!r}, "
                        f"which {why}; if it is one of yours, run it again with --account "
                        f"{self.fmt.platform.value}:HANDLE ({self._listing(self.fmt.platform)})"
                    ]
                )
            known = self.cache[hint] = found[0]
        if self.cache and any(k.id != known.id for k in self.cache.values()):
            first = next(iter(self.cache.values()))
            raise _RowRefused(
                f"{record.where}: this row is for {hint!r}, the rows before it for {first.ref}"
            )
        return known.id

    def _listing(self, platform: Platform | None) -> str:
        names = [a.ref for a in self.book.on(platform)]
        return "accounts: " + ", ".join(names) if names else "it names no such account"


_UNKNOWN: dict[str, Any] = {"format": PostFormat.UNKNOWN.value, "raw_type": "", "text": ""}


class _Writer:
    """Batches records and writes them: one lookup, one insert, one update per batch."""

    def __init__(self, session: Session, import_id: int, now: datetime) -> None:
        self.session, self.import_id, self.now = session, import_id, now
        self.posts: list[tuple[PostRecord, int]] = []
        self.days: list[tuple[DayRecord, int]] = []
        self.new = self.updated = self.unchanged = self.day_count = 0
        self.first_day: date | None = None
        self.last_day: date | None = None
        self.accounts: set[int] = set()

    def add(self, record: PostRecord | DayRecord, account_id: int) -> None:
        self.accounts.add(account_id)
        day = record.published_at.date() if isinstance(record, PostRecord) else record.day
        if self.first_day is None or day < self.first_day:
            self.first_day = day
        if self.last_day is None or day > self.last_day:
            self.last_day = day
        if isinstance(record, PostRecord):
            self.posts.append((record, account_id))
            if len(self.posts) >= BATCH:
                self._flush_posts()
        else:
            self.days.append((record, account_id))
            if len(self.days) >= BATCH:
                self._flush_days()

    def flush(self) -> None:
        self._flush_posts()
        self._flush_days()

    def _flush_posts(self) -> None:
        by_platform: dict[str, list[tuple[PostRecord, int]]] = {}
        for record, account_id in self.posts:
            by_platform.setdefault(record.platform.value, []).append((record, account_id))
        self.posts = []
        for platform, items in by_platform.items():
            existing = repo.existing_posts(
                self.session, platform, list({r.native_id for r, _ in items})
            )
            inserts: dict[str, dict[str, Any]] = {}
            updates: dict[str, dict[str, Any]] = {}
            for record, account_id in items:
                incoming = _post_fields(record, account_id)
                pending = inserts.get(record.native_id)
                if pending is not None:  # twice in one batch: merge into the pending insert
                    merged = _merge_post(pending, incoming)
                    self.unchanged += 1
                    pending.update(merged)
                    continue
                old = updates.get(record.native_id) or existing.get(record.native_id)
                if old is None:
                    inserts[record.native_id] = {
                        "platform": platform,
                        "native_id": record.native_id,
                        **incoming,
                        "slot_id": None,
                        "import_id": self.import_id,
                        "created_at": self.now,
                        "updated_at": self.now,
                    }
                    self.new += 1
                    continue
                merged = _merge_post(old, incoming)
                if all(merged[f] == old[f] for f in repo.POST_FIELDS):
                    self.unchanged += 1
                    continue
                if record.native_id not in updates:
                    self.updated += 1
                updates[record.native_id] = {
                    **old,
                    **merged,
                    "row_id": old.get("row_id", old.get("id")),
                    "updated_at": self.now,
                    "import_id": self.import_id,
                }
            repo.insert_posts(self.session, list(inserts.values()))
            repo.update_posts(self.session, list(updates.values()))

    def _flush_days(self) -> None:
        by_account: dict[int, list[DayRecord]] = {}
        for record, account_id in self.days:
            by_account.setdefault(account_id, []).append(record)
        self.days = []
        for account_id, records in by_account.items():
            existing = repo.existing_days(self.session, account_id, list({r.day for r in records}))
            inserts: dict[date, dict[str, Any]] = {}
            updates: dict[date, dict[str, Any]] = {}
            for record in records:
                incoming = {f: getattr(record, f) for f in repo.DAY_FIELDS}
                target = inserts.get(record.day)
                if target is not None:
                    target.update(_coalesce(target, incoming))
                    continue
                old = updates.get(record.day) or existing.get(record.day)
                self.day_count += 1
                if old is None:
                    inserts[record.day] = {
                        "account_id": account_id,
                        "day": record.day,
                        **incoming,
                        "import_id": self.import_id,
                    }
                    continue
                merged = _coalesce(old, incoming)
                if any(merged[f] != old[f] for f in repo.DAY_FIELDS):
                    updates[record.day] = {
                        **old,
                        **merged,
                        "row_id": old.get("row_id", old.get("id")),
                        "import_id": self.import_id,
                    }
            repo.insert_days(self.session, list(inserts.values()))
            repo.update_days(self.session, list(updates.values()))


def _post_fields(record: PostRecord, account_id: int) -> dict[str, Any]:
    total = record.interactions
    if total is None:
        total = interactions(record.reactions, record.comments, record.shares, record.saves)
    return {
        "account_id": account_id,
        "published_at": record.published_at,
        "time_known": record.time_known,
        "url": record.url[:500] if record.url else None,
        "url_key": (post_key(record.url) or "")[:300] or None if record.url else None,
        "format": record.format.value,
        "raw_type": record.raw_type,
        "sponsored": record.sponsored,
        "text": record.text,
        "impressions": record.impressions,
        "reach": record.reach,
        "reactions": record.reactions,
        "comments": record.comments,
        "shares": record.shares,
        "saves": record.saves,
        "clicks": record.clicks,
        "follows": record.follows,
        "engagements": record.engagements,
        "interactions": total,
    }


def _merge_post(old: dict[str, Any], incoming: dict[str, Any]) -> dict[str, Any]:
    """The later export wins wherever it says something; what it leaves out (a field the
    other X format has, a post missing from one of LinkedIn's top-50 tables) is kept."""
    merged = _coalesce(old, incoming)
    for name, blank in _UNKNOWN.items():
        if incoming[name] == blank:
            merged[name] = old[name]
    if not incoming["time_known"] and old["time_known"]:
        merged["published_at"], merged["time_known"] = old["published_at"], True
    # Interactions follow the parts when they changed, unless the file gave a total.
    if any(incoming[p] is not None for p in ("reactions", "comments", "shares", "saves")):
        merged["interactions"] = interactions(
            merged["reactions"], merged["comments"], merged["shares"], merged["saves"]
        )
    return merged


def _coalesce(old: dict[str, Any], incoming: dict[str, Any]) -> dict[str, Any]:
    return {k: (v if v is not None else old.get(k)) for k, v in incoming.items()}


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
