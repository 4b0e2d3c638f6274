"""Who someone is in the programme, and the pure decisions that follow from it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from bot.decisions import Decision, allow, refuse


class Role(StrEnum):
    OVERALL_COORDINATOR = "overall_coordinator"
    COORDINATOR = "coordinator"
    BACKUP = "backup_coordinator"
    CONTRIBUTOR = "contributor"


@dataclass(frozen=True)
class Membership:
    role: Role
    department_id: int | None


@dataclass(frozen=True)
class Roles:
    user_id: str
    overall: bool
    coordinates: frozenset[int]
    contributes: frozenset[int]
    backs_up: frozenset[int] = frozenset()

    @classmethod
    def from_memberships(cls, user_id: str, memberships: Iterable[Membership]) -> Roles:
        items = list(memberships)
        return cls(
            user_id=user_id,
            overall=any(m.role is Role.OVERALL_COORDINATOR for m in items),
            coordinates=frozenset(
                m.department_id
                for m in items
                if m.role is Role.COORDINATOR and m.department_id is not None
            ),
            contributes=frozenset(
                m.department_id
                for m in items
                if m.role is Role.CONTRIBUTOR and m.department_id is not None
            ),
            backs_up=frozenset(
                m.department_id
                for m in items
                if m.role is Role.BACKUP and m.department_id is not None
            ),
        )

    @property
    def is_member(self) -> bool:
        return self.overall or bool(self.coordinates or self.contributes or self.backs_up)

    @property
    def departments(self) -> frozenset[int]:
        return self.coordinates | self.contributes | self.backs_up

    def reviews(self, department_id: int) -> bool:
        """May decide on this department's drafts: its coordinators, backups, overall ones."""
        return self.overall or department_id in self.coordinates or department_id in self.backs_up

    @property
    def headline(self) -> Role | None:
        """The most senior role, which decides what help and App Home show first."""
        if self.overall:
            return Role.OVERALL_COORDINATOR
        if self.coordinates:
            return Role.COORDINATOR
        if self.contributes:
            return Role.CONTRIBUTOR
        return None


class Refusal(StrEnum):
    NOT_IN_PROGRAMME = "not_in_programme"
    OTHER_DEPARTMENT = "other_department"
    UNKNOWN_DEPARTMENT = "unknown_department"


def decide_view_department(roles: Roles, department_id: int) -> Decision[Refusal]:
    """Overall coordinators see every department; everyone else sees the ones they belong to."""
    if not roles.is_member:
        return refuse(Refusal.NOT_IN_PROGRAMME)
    if roles.overall or department_id in roles.departments:
        return allow()
    return refuse(Refusal.OTHER_DEPARTMENT)
