"""Downloading a file someone shared with the bot: Slack's files.info says where it is
(`url_private`), and the bot token opens it. The token is only ever sent to Slack's own file
hosts (or the configured Web API host, e.g. the test fake), the size is capped, and the bytes
stream to disk so memory does not follow the file."""

from __future__ import annotations

import http.client
import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

MAX_BYTES = 100 * 1024 * 1024
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._ -]+")
_SLACK_FILE_HOSTS = ("slack.com", "slack-files.com", "slack-edge.com")


class DownloadFailed(Exception):
    """The file could not be fetched; the message can be shown to the person."""


@dataclass(frozen=True)
class Downloaded:
    name: str  # as the person named it
    path: Path


def download_shared_file(client: WebClient, file_id: str, folder: Path) -> Downloaded:
    try:
        info = client.files_info(file=file_id)["file"]
    except SlackApiError as exc:
        raise DownloadFailed(
            f"Slack would not describe the file ({exc.response.get('error')})"
        ) from None
    name = str(info.get("name") or info.get("title") or file_id)[:200]
    size = int(info.get("size") or 0)
    if size > MAX_BYTES:
        raise DownloadFailed(f"{name} is larger than {MAX_BYTES // (1024 * 1024)} MB")
    url = str(info.get("url_private_download") or info.get("url_private") or "")
    if not _trusted(url, client.base_url):
        raise DownloadFailed(f"{name} is not stored by Slack, so I did not fetch it")
    path = folder / (_SAFE_NAME.sub("_", Path(name).name) or "upload")
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {client.token}"})
    try:
        with urllib.request.urlopen(request, timeout=60) as reply, path.open("wb") as out:
            if "text/html" in (reply.headers.get("Content-Type") or "") and not name.endswith(
                (".html", ".htm")
            ):
                raise DownloadFailed(
                    f"Slack did not hand over {name} (the app may lack the files:read scope)"
                )
            written = 0
            while chunk := reply.read(1 << 16):
                written += len(chunk)
                if written > MAX_BYTES:
                    raise DownloadFailed(f"{name} is larger than {MAX_BYTES // (1024 * 1024)} MB")
                out.write(chunk)
    except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as exc:
        raise DownloadFailed(f"{name} could not be downloaded ({type(exc).__name__})") from None
    return Downloaded(name=name, path=path)


def _trusted(url: str, api_url: str) -> bool:
    parts, api = urlsplit(url), urlsplit(api_url)
    host = (parts.hostname or "").lower()
    if parts.scheme == "https" and any(
        host == h or host.endswith("." + h) for h in _SLACK_FILE_HOSTS
    ):
        return True
    return bool(host) and (parts.scheme, parts.netloc) == (api.scheme, api.netloc)
