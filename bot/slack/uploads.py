"""Files into a thread with the files upload v2 API (files.getUploadURLExternal, the bytes
POSTed to the upload URL, then one files.completeUploadExternal sharing them all), through the
SDK's files_upload_v2, which makes exactly those calls."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from slack_sdk import WebClient


@dataclass(frozen=True)
class Upload:
    filename: str
    title: str
    content: bytes


def upload_to_thread(
    client: WebClient, *, channel: str, thread_ts: str, files: Sequence[Upload]
) -> list[str]:
    """Upload and share `files` in the thread; returns their file ids."""
    if not files:
        return []
    reply = client.files_upload_v2(
        file_uploads=[
            {"content": f.content, "filename": f.filename, "title": f.title} for f in files
        ],
        channel=channel,
        thread_ts=thread_ts,
    )
    return [str(f["id"]) for f in reply.get("files") or []]
