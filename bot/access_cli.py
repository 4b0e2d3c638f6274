"""The operator's side of credential access: `access audit`, `access verify-audit`,
`vault rotate-key`. (`vault new-key` needs no database and lives in bot/cli.py.)"""

from __future__ import annotations

import csv
import sys
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from bot.access import service
from bot.access.vault import SecretUnreadable, Vault
from bot.config import ConfigError
from bot.runtime import Runtime
from storage.repositories import organisation as org_repo

CSV_COLUMNS = ("seq", "at", "kind", "actor", "account", "request", "detail", "hash")
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(cell: str) -> str:
    """A cell a spreadsheet would run as a formula starts with a quote instead (OWASP)."""
    return "'" + cell if cell.startswith(_FORMULA) else cell


def audit_command(
    runtime: Runtime, *, account: str | None, since: date | None, as_csv: bool
) -> int:
    with runtime.session() as session:
        org = org_repo.get_organisation(session)
        tz = ZoneInfo(org.timezone if org else "UTC")
        moment = datetime.combine(since, time(), tz) if since else None
        entries = service.audit_entries(session, account=account, since=moment)
    if as_csv:  # machine-readable: ISO 8601 in UTC, with its offset
        writer = csv.writer(sys.stdout, lineterminator="\r\n")  # RFC 4180: CRLF, quoted as needed
        writer.writerow(CSV_COLUMNS)
        for e in entries:
            row = (
                str(e.seq),
                e.at.isoformat(),
                e.kind,
                e.actor,
                e.account,
                str(e.request_id or ""),
                e.detail,
                e.hash,
            )
            writer.writerow([spreadsheet_safe(cell) for cell in row])
        return 0
    for e in entries:
        request = f" #{e.request_id}" if e.request_id else ""
        detail = " ".join(e.detail.split())
        at = f"{e.at.astimezone(tz):%Y-%m-%d %H:%M:%S} {tz.key}"  # an audit keeps its seconds
        print(f"{e.seq:>6} {at} {e.kind:<15} {e.actor:<12} {e.account}{request} {detail}".rstrip())
    if not entries:
        print("no audit entries")
    return 0


def verify_command(runtime: Runtime) -> int:
    with runtime.session() as session:
        count, found = service.verify_audit(session)
    if found is not None:
        print(f"audit log broken: {found} (checked {count} entries)", file=sys.stderr)
        return 1
    print(f"audit log intact: {count} entries, every hash chained")
    return 0


def rotate_keys_command(runtime: Runtime) -> int:
    keys = runtime.settings.vault_keys
    if keys is None:
        raise ConfigError(
            "VAULT_KEYS is not set: put the new key first, then the old ones, and run again."
        )
    vault = Vault(keys.get_secret_value())
    try:
        with runtime.session() as session:
            count = service.rotate_keys(session=session, vault=vault, now=runtime.now())
    except SecretUnreadable:
        raise ConfigError(
            "VAULT_KEYS is missing the key a stored secret was encrypted with: keep the old "
            "key(s) after the new one until rotate-key has run. Nothing was re-encrypted."
        ) from None
    print(f"re-encrypted {count} secret(s) under the newest key")
    return 0
