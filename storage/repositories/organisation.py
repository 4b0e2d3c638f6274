"""Organisation, departments, memberships and accounts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import delete
from sqlmodel import Session, col, select

from storage.models import Account, Blackout, Department, Membership, Organisation, Rule


def get_organisation(session: Session) -> Organisation | None:
    return session.get(Organisation, 1)


def organisation_revision(session: Session) -> int | None:
    """The cheapest possible read: is there an organisation, and which revision is it?"""
    return (
        session.connection()
        .execute(select(Organisation.revision).where(Organisation.id == 1))
        .scalar()
    )


def all_departments(session: Session) -> Sequence[Department]:
    return session.exec(select(Department).order_by(col(Department.name))).all()


def active_departments(session: Session) -> Sequence[Department]:
    return session.exec(
        select(Department).where(col(Department.active)).order_by(col(Department.name))
    ).all()


def all_memberships(session: Session) -> Sequence[Membership]:
    return session.exec(select(Membership)).all()


def active_members_of(session: Session, department_id: int, role: str) -> Sequence[str]:
    return session.exec(
        select(Membership.user_id)
        .where(
            Membership.department_id == department_id,
            Membership.role == role,
            col(Membership.active),
        )
        .order_by(col(Membership.user_id))
    ).all()


def all_accounts(session: Session) -> Sequence[Account]:
    return session.exec(select(Account)).all()


def active_accounts(session: Session) -> Sequence[Account]:
    return session.exec(
        select(Account)
        .where(col(Account.active))
        .order_by(col(Account.platform), col(Account.handle))
    ).all()


def rules_of(session: Session, department_id: int) -> Sequence[Rule]:
    return session.exec(
        select(Rule).where(Rule.department_id == department_id).order_by(col(Rule.position))
    ).all()


def active_rules(session: Session) -> Sequence[Rule]:
    return session.exec(
        select(Rule).where(col(Rule.active)).order_by(col(Rule.department_id), col(Rule.position))
    ).all()


def blackout_days(session: Session) -> dict[date, str]:
    return {b.day: b.label for b in session.exec(select(Blackout))}


def blackout_days_between(session: Session, first: date, last: date) -> set[date]:
    return set(
        session.exec(
            select(col(Blackout.day)).where(col(Blackout.day) >= first, col(Blackout.day) <= last)
        )
    )


def replace_blackouts(session: Session, *, source: str, days: dict[date, str]) -> None:
    """Make `source`'s blackout days exactly `days` (day → label)."""
    session.exec(delete(Blackout).where(col(Blackout.source) == source))
    for day, label in sorted(days.items()):
        session.add(Blackout(day=day, label=label[:200], source=source))
