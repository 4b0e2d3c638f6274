"""Who is new to the programme and gets one welcome: everyone in the organisation file not yet
welcomed (the outbox remembers who was, so loading the file again welcomes nobody twice, and
someone who leaves and comes back is not welcomed again)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from bot.organisation.directory import Directory
from bot.organisation.roles import Roles
from storage.repositories import outbox as outbox_repo

WELCOME = "welcome"  # the stage, with the person's id: "welcome:U0ALICE"
PERSON_ID = 0  # person items are about no row


def welcome_stage(user_id: str) -> str:
    return f"{WELCOME}:{user_id}"


@dataclass(frozen=True)
class Welcome:
    user_id: str
    roles: Roles
    coordinates: tuple[str, ...]  # department names
    contributes: tuple[str, ...]
    backs_up: tuple[str, ...]
    contacts: tuple[str, ...]  # the overall coordinators


def to_welcome(session: Session, directory: Directory) -> list[Welcome]:
    told = outbox_repo.stages_told(
        session, subject=outbox_repo.PERSON, subject_id=PERSON_ID, prefix=f"{WELCOME}:"
    )

    def names(ids: frozenset[int]) -> tuple[str, ...]:
        return tuple(directory.departments[i] for i in directory.sorted_ids(ids))

    found = []
    for user_id in sorted(directory.memberships):
        if welcome_stage(user_id) in told:
            continue
        roles = directory.roles(user_id)
        if not roles.is_member:
            continue
        found.append(
            Welcome(
                user_id=user_id,
                roles=roles,
                coordinates=names(roles.coordinates),
                contributes=names(roles.contributes),
                backs_up=names(roles.backs_up),
                contacts=directory.overall_coordinators,
            )
        )
    return found
