"""What `schedule import` and `schedule generate` say of new posts no reminder can reach in
time, and how their coordinators hear of it."""

from __future__ import annotations

from bot.app import connection_reason, make_client, verify_bot_token
from bot.config import ConfigError
from bot.flows.reminders import report_too_late
from bot.nudges.service import Unreminded, soon_enough_to_matter, unreachable_as_remembered
from bot.runtime import Runtime
from bot.schedule.service import local_time
from bot.slack.context import SlackContext
from bot.text import capped


def too_late_lines(runtime: Runtime, slot_ids: tuple[int, ...]) -> list[str]:
    """The new posts no reminder can reach in time, said now and told to their coordinators
    in Slack, judged by each contributor's own timezone. When Slack can't be asked, judged by
    the timezones last read from it, and told by the next `reminders` run. For the
    summaries of `schedule import` and `schedule generate` (and the demo's)."""
    with runtime.session() as session:
        directory = runtime.organisation(session)
        if not soon_enough_to_matter(session, slot_ids, runtime.now()):
            return []
    try:
        hopeless, told = _tell_too_late(runtime, slot_ids)
        unseen: set[str] = set()
    except ConfigError as exc:
        with runtime.session() as session:
            hopeless, unseen = unreachable_as_remembered(session, slot_ids, runtime.now())
        told = (
            f"their coordinators are told in Slack by the next `reminders` run ({exc})"
            if hopeless or unseen
            else ""
        )
    out: list[str] = []
    if hopeless:
        out.append(
            f"{len(hopeless)} post(s) too close to the due time for a reminder to reach the"
            " contributor in their waking hours:"
        )
        lines = [
            f"#{h.slot_id} due {local_time(h.due_at, directory.timezone)} for {h.contributor_id}"
            f" ({directory.departments.get(h.department_id, '?')})"
            for h in hopeless
        ]
        out += [f"not reminded: {line}" for line in capped(lines, noun="posts")]
    if unseen:
        people = ", ".join(sorted(unseen)[:10]) + (" …" if len(unseen) > 10 else "")
        out.append(
            f"{len(unseen)} contributor(s) whose timezone Slack has not told us yet were taken"
            f" to be in {directory.timezone.key}: {people}"
        )
    if told:
        out.append(f"({told})")
    return out


def _tell_too_late(runtime: Runtime, slot_ids: tuple[int, ...]) -> tuple[list[Unreminded], str]:
    """report_too_late through Slack; a ConfigError when Slack can't be reached or refuses
    the token (before anything is sent)."""
    verify_bot_token(runtime.settings)
    try:
        report = report_too_late(SlackContext(runtime, make_client(runtime.settings)), slot_ids)
    except OSError as exc:  # Slack went away after answering auth.test
        raise ConfigError(f"Slack could not be reached mid-way: {connection_reason(exc)}") from None
    if not report.found:
        return [], ""
    if report.undelivered:
        return list(report.found), (
            f"{report.undelivered} coordinator message(s) about them did not go through or are"
            " in doubt: the log says which"
        )
    return list(report.found), "their coordinators have been told in Slack"
