"""`python -m bot metrics import FILE… [--account platform:handle]` and `metrics list`."""

from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.runtime import Runtime

# Files smaller than this import in a blink: no bar.
_BAR_FROM_BYTES = 1 << 20


def metrics_import(runtime: Runtime, paths: list[Path], account: str | None) -> int:
    from bot.analytics.service import ImportRefused, import_file

    failed = 0
    for path in paths:
        if not path.is_file():
            what = "is a folder, not an export file" if path.is_dir() else "no such file"
            print(f"{path}: {what}; nothing was imported", file=sys.stderr)
            failed += 1
            continue
        bar = _bar(path)
        try:
            with runtime.session() as session:
                timezone = runtime.organisation(session).timezone
                summary = import_file(
                    session=session,
                    path=path,
                    source=path.name,
                    timezone=timezone,
                    imported_by="cli",
                    now=runtime.now(),
                    account=account,
                    progress=bar.update if bar else None,
                )
        except ImportRefused as exc:
            lines = exc.lines()
            print(lines[0], file=sys.stderr)
            for line in lines[1:]:
                print(f"  {line}", file=sys.stderr)
            failed += 1
            continue
        finally:
            if bar:
                bar.close()
        print(f"Imported {path}:")
        for line in summary.lines():
            print(f"  {line}")
    return 1 if failed else 0


def metrics_list(runtime: Runtime) -> int:
    from storage.repositories import analytics as repo
    from storage.repositories import organisation as org_repo

    with runtime.session() as session:
        accounts = org_repo.active_accounts(session)
        stored = repo.stored_per_account(session)
    if not accounts:
        print("No accounts in the organisation file yet.")
        return 0
    rows = [("account", "posts", "first day", "last day", "last import")]
    for account in accounts:
        assert account.id is not None
        item = stored.get(account.id)
        name = f"{account.platform}:{account.handle}"
        if item is None:
            rows.append((name, "0", "-", "-", "never"))
            continue
        firsts = [d for d in (item.first_day, _day(item.first_post)) if d is not None]
        lasts = [d for d in (item.last_day, _day(item.last_post)) if d is not None]
        last_import = (
            f"{item.last_import_at:%Y-%m-%d %H:%M} UTC ({item.last_import_source})"
            if item.last_import_at
            else "never"
        )
        rows.append(
            (
                name,
                str(item.posts),
                min(firsts).isoformat() if firsts else "-",
                max(lasts).isoformat() if lasts else "-",
                last_import,
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for row in rows:
        cells = [row[0].ljust(widths[0]), row[1].rjust(widths[1])]
        cells += [row[2].ljust(widths[2]), row[3].ljust(widths[3]), row[4]]
        print("  ".join(cells).rstrip())
    return 0


def _day(moment: datetime | None) -> date | None:
    return moment.date() if moment is not None else None


class _Bar:
    """tqdm on a terminal: fed (done, total) in bytes (CSV) or rows (workbooks)."""

    def __init__(self, path: Path) -> None:
        from tqdm import tqdm

        self._bar = tqdm(
            total=path.stat().st_size,
            desc=path.name[:30],
            unit="B",
            unit_scale=True,
            leave=False,
            file=sys.stderr,
        )

    def update(self, done: int, total: int | None) -> None:
        if total is None:  # a workbook: rows, total unknown
            self._bar.total, self._bar.unit = None, " rows"
        self._bar.n = done
        self._bar.refresh()

    def close(self) -> None:
        self._bar.close()


def _bar(path: Path) -> _Bar | None:
    if not sys.stderr.isatty() or path.stat().st_size < _BAR_FROM_BYTES:
        return None
    return _Bar(path)
