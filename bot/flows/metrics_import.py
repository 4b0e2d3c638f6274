"""A coordinator drops platform exports into their DM with the bot: each file is downloaded
with the bot token, imported exactly as `metrics import` does, and answered in that message's
thread. One transaction per file, which also records the (event, file) pair, so a retried event
imports nothing twice and a crash before the commit leaves the file to the retry."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk import WebClient

from bot.analytics.rules import decide_import
from bot.analytics.service import ImportRefused, first_delivery, import_file
from bot.organisation.missing import NoOrganisation
from bot.runtime import Runtime
from bot.slack import metrics_messages as messages
from bot.slack.downloads import DownloadFailed, download_shared_file

MAX_FILES = 10  # Slack allows 10 files on one message
Answer = Callable[[tuple[str, list[dict[str, Any]]]], None]


@dataclass(frozen=True)
class FileDrop:
    event_id: str
    user_id: str
    channel: str
    ts: str
    file_ids: tuple[str, ...]


def import_dropped_files(runtime: Runtime, client: WebClient, drop: FileDrop) -> None:
    def answer(reply: tuple[str, list[dict[str, Any]]]) -> None:
        text, blocks = reply
        client.chat_postMessage(channel=drop.channel, thread_ts=drop.ts, text=text, blocks=blocks)

    try:
        with runtime.session() as session:
            directory = runtime.organisation(session)
            if not decide_import(directory.roles(drop.user_id)).ok:
                if first_delivery(session, f"{drop.event_id}:refused", runtime.now()):
                    session.commit()
                    answer(messages.not_allowed())
                return
    except NoOrganisation:
        answer(messages.not_set_up())
        return
    for file_id in drop.file_ids[:MAX_FILES]:
        with tempfile.TemporaryDirectory(prefix="socialbot-") as folder:
            _import_one(runtime, client, drop, file_id, Path(folder), directory.timezone, answer)


def _import_one(
    runtime: Runtime,
    client: WebClient,
    drop: FileDrop,
    file_id: str,
    folder: Path,
    timezone: ZoneInfo,
    answer: Answer,
) -> None:
    try:
        downloaded = download_shared_file(client, file_id, folder)
    except DownloadFailed as exc:
        answer(messages.refused(file_id, [str(exc)]))
        return
    try:
        with runtime.session() as session:
            if not first_delivery(session, f"{drop.event_id}:{file_id}", runtime.now()):
                return  # Slack delivered this event again: the file is already in
            summary = import_file(
                session=session,
                path=downloaded.path,
                source=downloaded.name,
                timezone=timezone,
                imported_by=drop.user_id,
                now=runtime.now(),
            )
    except ImportRefused as exc:
        answer(messages.refused(downloaded.name, exc.lines()))
        return
    answer(messages.imported(downloaded.name, summary.lines()))
