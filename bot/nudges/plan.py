"""When reminders go out: pure functions of the slot, the person's timezone and the clock.

A stage is "n days before the due day" (the due day as the contributor sees it), at the
reminder hour in their own timezone, moved back to the previous working day when it lands on a
weekend or a blackout day, and always at least the cadence's lead time (2 hours unless
configured) before the moment the post is due: a stage that would leave less moves back to the
previous working day at the same hour. No reminder ever goes out inside that last stretch
(give or take a run that starts late, by at most LATE_RUN)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

QUIET_FROM = time(21, 0)  # nobody is messaged between 21:00 and 08:00 their time
QUIET_UNTIL = time(8, 0)
# Import and re-planning don't know each contributor's timezone: they file a slot this much
# earlier than its organisation-time reminder, and the job works out the exact moment.
CANDIDATE_MARGIN = timedelta(days=2)
# A missed reminder is not sent when the next one is due this soon: that one will do.
CATCH_UP_HOLD = timedelta(hours=12)
DEFAULT_MIN_LEAD = timedelta(hours=2)
# A run this late (one job interval) after the moment planned for a slot still sends what was
# planned: the job fires a moment after 09:00, and a post due 11:00 keeps its 09:00 reminder.
# A slot seen for the first time gets no such allowance.
LATE_RUN = timedelta(minutes=15)
# A slot due at least this far ahead always gets a reminder in time, in any timezone: a stage
# still ahead is in time by construction, and a stage already past is caught up within a day
# (now, or the next morning). Only slots due sooner need their contributor's own timezone.
ANY_ZONE_REACHABLE = timedelta(days=3)
SNOOZE_DAYS = (1, 3)  # what a reminder offers, when they land in time


@dataclass(frozen=True)
class Cadence:
    days_before: tuple[int, ...]  # e.g. (7, 2, 0)
    hour: int
    blackout: frozenset[date] = frozenset()
    min_lead: timedelta = DEFAULT_MIN_LEAD  # the least time a reminder leaves before the due time

    @classmethod
    def parse(
        cls,
        days: str,
        hour: int,
        blackout: frozenset[date],
        min_lead: timedelta = DEFAULT_MIN_LEAD,
    ) -> Cadence:
        values = sorted({int(d) for d in days.split(",") if d.strip()}, reverse=True)
        return cls(tuple(values), hour, blackout, min_lead)

    def in_time(self, moment: datetime, due_at: datetime) -> bool:
        """Whether a reminder at `moment` leaves the lead time before `due_at` (and comes
        before it, whatever the lead)."""
        return moment + self.min_lead <= due_at and moment < due_at


@dataclass(frozen=True)
class Plan:
    send: str | None = None  # the stage to send now
    superseded: tuple[str, ...] = ()  # stages missed (downtime, snooze) that will not be sent
    next_at: datetime | None = None  # when to look at this slot again; None: nothing left


def is_working_day(day: date, blackout: frozenset[date]) -> bool:
    return day.weekday() < 5 and day not in blackout


def working_day_on_or_before(day: date, blackout: frozenset[date]) -> date:
    for _ in range(366):
        if is_working_day(day, blackout):
            return day
        day -= timedelta(days=1)
    return day


def local_moment(day: date, at: time, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, at, tz).astimezone(UTC)


def stage_time(due_at: datetime, days_before: int, tz: ZoneInfo, cadence: Cadence) -> datetime:
    day = due_at.astimezone(tz).date() - timedelta(days=days_before)
    day = working_day_on_or_before(day, cadence.blackout)
    moment = local_moment(day, time(cadence.hour), tz)
    while not cadence.in_time(moment, due_at):
        day = working_day_on_or_before(day - timedelta(days=1), cadence.blackout)
        moment = local_moment(day, time(cadence.hour), tz)
    return moment


def stages(
    due_at: datetime, tz: ZoneInfo, cadence: Cadence, snoozed_until: datetime | None
) -> list[tuple[str, datetime]]:
    """Every reminder of this slot in time order. A snooze drops the stages before its end and
    adds one at its end."""
    planned = sorted(
        ((f"d{n}", stage_time(due_at, n, tz, cadence)) for n in cadence.days_before),
        key=lambda s: s[1],
    )
    if snoozed_until is None:
        return planned
    kept = [s for s in planned if s[1] > snoozed_until]
    return [(f"snooze@{snoozed_until:%Y-%m-%dT%H:%MZ}", snoozed_until), *kept]


def is_quiet(moment: datetime, tz: ZoneInfo) -> bool:
    local = moment.astimezone(tz).time()
    return local >= QUIET_FROM or local < QUIET_UNTIL


def quiet_ends(moment: datetime, tz: ZoneInfo) -> datetime:
    local = moment.astimezone(tz)
    day = local.date() if local.time() < QUIET_UNTIL else local.date() + timedelta(days=1)
    return local_moment(day, QUIET_UNTIL, tz)


def plan_reminder(
    *,
    due_at: datetime,
    tz: ZoneInfo,
    cadence: Cadence,
    now: datetime,
    done: frozenset[str] = frozenset(),
    snoozed_until: datetime | None = None,
    planned_for: datetime | None = None,
) -> Plan:
    """What to do for one slot now (`planned_for`: the moment an earlier plan chose for this
    visit, if any). After downtime only the latest missed stage is sent (the earlier ones are
    superseded), none if the next stage is close anyway, and a catch-up waits for the morning
    rather than wake anyone. Nothing is sent inside the lead time, where a reminder would
    leave no time to act, except by a run that fires a moment after the moment planned."""
    run_late = (
        planned_for is not None
        and timedelta(0) <= now - planned_for <= LATE_RUN
        and cadence.in_time(planned_for, due_at)
    )
    if due_at <= now or not (cadence.in_time(now, due_at) or run_late):
        return Plan()  # too close to the due time (or late: escalation's business)
    pending = [s for s in stages(due_at, tz, cadence, snoozed_until) if s[0] not in done]
    ready = [key for key, at in pending if at <= now]
    later = [at for _, at in pending if at > now]
    next_at = min(later) if later else None
    if not ready:
        return Plan(next_at=next_at)
    if next_at is not None and next_at - now <= CATCH_UP_HOLD:
        return Plan(superseded=tuple(ready), next_at=next_at)  # the next stage catches up
    if is_quiet(now, tz):
        morning = quiet_ends(now, tz)
        if cadence.in_time(morning, due_at):
            return Plan(next_at=morning)
        return Plan(superseded=tuple(ready), next_at=next_at)
    return Plan(send=ready[-1], superseded=tuple(ready[:-1]), next_at=next_at)


def first_candidate(due_at: datetime, org_tz: ZoneInfo, cadence: Cadence) -> datetime:
    """A moment safely before the slot's first reminder in any timezone."""
    return stage_time(due_at, max(cadence.days_before), org_tz, cadence) - CANDIDATE_MARGIN


def first_reminder(
    *, due_at: datetime, tz: ZoneInfo, cadence: Cadence, now: datetime
) -> datetime | None:
    """When a slot nobody has been reminded about yet will first be reminded, following the
    plan as the reminder job would; None when no reminder can reach its contributor in time
    (in their waking hours, with the lead time to spare)."""
    done: frozenset[str] = frozenset()
    at, planned = now, None
    for _ in range(4 * len(cadence.days_before) + 8):
        plan = plan_reminder(
            due_at=due_at, tz=tz, cadence=cadence, now=at, done=done, planned_for=planned
        )
        if plan.send:
            return at
        if plan.next_at is None:
            return None
        done |= frozenset(plan.superseded)
        at = planned = plan.next_at
    return None


def snooze_choices(
    *, now: datetime, due_at: datetime, tz: ZoneInfo, cadence: Cadence
) -> tuple[int, ...]:
    """The snoozes a reminder may offer: those whose reminder still leaves the lead time."""
    return tuple(
        days
        for days in SNOOZE_DAYS
        if cadence.in_time(snooze_until(now, days, tz, cadence), due_at)
    )


def snooze_until(now: datetime, days: int, tz: ZoneInfo, cadence: Cadence) -> datetime:
    """The reminder hour `days` working days ahead, in the person's own timezone."""
    day = now.astimezone(tz).date()
    for _ in range(days):
        day += timedelta(days=1)
        while not is_working_day(day, cadence.blackout):
            day += timedelta(days=1)
    return local_moment(day, time(cadence.hour), tz)
