"""A per-process snapshot of the organisation: who is who, which departments are active.

Every request needs it and it changes only when the organisation file is loaded, so it is read
once and reused until the organisation's revision moves (one indexed lookup per request)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.organisation.missing import NoOrganisation
from bot.organisation.roles import Membership, Role, Roles
from storage.repositories import organisation as repo


@dataclass(frozen=True)
class Directory:
    revision: int
    timezone: ZoneInfo
    leadership_channel: str
    default_due_hour: int
    departments: dict[int, str]  # active ones, by id
    overall_coordinators: tuple[str, ...]
    memberships: dict[str, tuple[Membership, ...]] = field(repr=False)
    leadership: tuple[str, ...] = ()  # may ask for the monthly report

    def roles(self, user_id: str) -> Roles:
        return Roles.from_memberships(user_id, self.memberships.get(user_id, ()))

    def coordinators_of(self, department_id: int, role: Role = Role.COORDINATOR) -> tuple[str, ...]:
        return tuple(
            sorted(
                user
                for user, memberships in self.memberships.items()
                if Membership(role, department_id) in memberships
            )
        )

    def department_named(self, name: str) -> int | None:
        wanted = name.strip().casefold()
        return next((i for i, n in self.departments.items() if n.casefold() == wanted), None)

    def sorted_ids(self, ids: Iterable[int] | None = None) -> list[int]:
        """Active department ids (all, or those of `ids`), in name order."""
        chosen = self.departments if ids is None else [i for i in ids if i in self.departments]
        return sorted(chosen, key=lambda i: self.departments[i])


class DirectoryCache:
    """Holds the latest snapshot; safe to share between threads."""

    def __init__(self) -> None:
        self._current: Directory | None = None
        self._lock = threading.Lock()

    def get(self, session: Session) -> Directory:
        revision = repo.organisation_revision(session)
        if revision is None:
            raise NoOrganisation()
        current = self._current
        if current is not None and current.revision == revision:
            return current
        with self._lock:
            fresh = load_directory(session)
            self._current = fresh
            return fresh


def load_directory(session: Session) -> Directory:
    org = repo.get_organisation(session)
    if org is None:
        raise NoOrganisation()
    departments = {d.id: d.name for d in repo.active_departments(session) if d.id is not None}
    memberships: dict[str, list[Membership]] = {}
    for row in repo.all_memberships(session):
        if row.active and (row.department_id is None or row.department_id in departments):
            memberships.setdefault(row.user_id, []).append(
                Membership(Role(row.role), row.department_id)
            )
    overall = tuple(
        sorted(
            u
            for u, ms in memberships.items()
            if any(m.role is Role.OVERALL_COORDINATOR for m in ms)
        )
    )
    return Directory(
        revision=org.revision,
        timezone=ZoneInfo(org.timezone),
        leadership_channel=org.leadership_channel,
        default_due_hour=org.default_due_hour,
        departments=departments,
        overall_coordinators=overall,
        memberships={u: tuple(ms) for u, ms in memberships.items()},
        leadership=tuple(json.loads(org.leadership or "[]")),
    )
