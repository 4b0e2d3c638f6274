"""The audit log's hash chain: each entry's hash covers its content and the previous hash, so
an altered, removed or inserted entry breaks the chain where it happened."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

GENESIS = "0" * 64


class AuditKind(StrEnum):
    REQUESTED = "requested"
    APPROVED = "approved"  # one approval (of two, where two are needed)
    GRANTED = "granted"
    DENIED = "denied"
    BREAK_GLASS = "break_glass"
    REVEALED = "revealed"
    REVEAL_REFUSED = "reveal_refused"
    REVOKED = "revoked"
    ENDED = "ended"
    REQUEST_EXPIRED = "request_expired"
    SECRET_SET = "secret_set"
    SECRET_ROTATED = "secret_rotated"
    KEYS_ROTATED = "keys_rotated"


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    at: datetime
    kind: str
    actor: str
    account: str  # platform:handle, or "" when about no account
    request_id: int | None
    detail: str
    prev_hash: str
    hash: str = ""


def entry_hash(entry: AuditEntry) -> str:
    content = [
        entry.seq,
        entry.at.isoformat(timespec="microseconds"),
        entry.kind,
        entry.actor,
        entry.account,
        entry.request_id,
        entry.detail,
        entry.prev_hash,
    ]
    canonical = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def sealed(entry: AuditEntry) -> AuditEntry:
    from dataclasses import replace

    return replace(entry, hash=entry_hash(entry))


class Break(StrEnum):
    ALTERED = "altered"
    REMOVED = "removed"
    INSERTED = "inserted"


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    kind: Break

    def __str__(self) -> str:
        if self.kind is Break.ALTERED:
            return f"entry {self.seq} was altered: its content no longer matches its hash"
        if self.kind is Break.REMOVED:
            return f"entry before {self.seq} was removed: the chain skips to {self.seq}"
        return f"entry {self.seq} was inserted: it does not follow the entry before it"


def verify_chain(entries: Iterable[AuditEntry]) -> tuple[int, ChainBreak | None]:
    """How many entries were checked, and the first break (in seq order), if any."""
    previous_hash, expected_seq, count = GENESIS, 1, 0
    for entry in entries:
        count += 1
        if entry.hash != entry_hash(entry):
            return count, ChainBreak(entry.seq, Break.ALTERED)
        if entry.seq > expected_seq:
            return count, ChainBreak(entry.seq, Break.REMOVED)
        if entry.prev_hash != previous_hash or entry.seq < expected_seq:
            return count, ChainBreak(entry.seq, Break.INSERTED)
        previous_hash, expected_seq = entry.hash, entry.seq + 1
    return count, None
