"""The Slack app manifest: the Socket Mode one we ship, and its HTTP-mode variant."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

MANIFEST = Path(__file__).resolve().parents[1] / "manifests" / "manifest.json"
EVENTS_PATH = "/slack/events"
# Plain http only where Slack cannot be pointed anyway: a developer's own machine (behind a tunnel).
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}


_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+-]*")  # no dot: bot.example.org:8443 is a host


class ManifestUrlError(ValueError):
    """--http-url is not a public base URL Slack could post to; the message says why."""


def events_url(base_url: str) -> str:
    """The one request URL for HTTP mode: https://host[/prefix]/slack/events. A base already
    ending in /slack/events is taken as meant, never doubled."""
    text = base_url.strip()
    if not text:
        raise ManifestUrlError(
            "is empty: give the app's public base URL, e.g. https://bot.example.org"
        )
    if any(c.isspace() for c in text):
        raise ManifestUrlError(f"{text!r} is not a URL: give one like https://bot.example.org")
    if "://" not in text:
        scheme, colon, rest = text.partition(":")
        if colon and not rest[:1].isdigit() and _SCHEME.fullmatch(scheme):  # javascript:, mailto:
            raise ManifestUrlError(
                f"{text!r} is not a web address: give one like https://bot.example.org"
            )
        raise ManifestUrlError(f"{text!r} has no scheme: write https://{text}")
    parts = urlsplit(text)
    try:
        parts.port  # noqa: B018 (raises on a port that is not a number from 0 to 65535)
    except ValueError:
        raise ManifestUrlError(f"{text!r} has an invalid port") from None
    host = parts.hostname or ""
    if parts.scheme not in {"http", "https"} or not host:
        raise ManifestUrlError(
            f"{text!r} is not a web address: give one like https://bot.example.org"
        )
    if parts.scheme == "http" and host not in LOCAL_HOSTS:
        raise ManifestUrlError(
            f"{text!r} uses http: Slack only posts to https URLs (http is for localhost)"
        )
    if "." not in host and host not in LOCAL_HOSTS:
        raise ManifestUrlError(f"{text!r} has no domain (like bot.example.org) Slack could reach")
    if parts.username or parts.password:  # not echoed: it may hold a password
        raise ManifestUrlError(
            "carries a login: give the base URL only, e.g. https://bot.example.org"
        )
    if parts.query or parts.fragment:
        raise ManifestUrlError(f"{text!r} carries a query or fragment: give the base URL only")
    path = parts.path.rstrip("/").removesuffix(EVENTS_PATH).rstrip("/")
    return f"{parts.scheme}://{parts.netloc}{path}{EVENTS_PATH}"


def load_manifest() -> dict[str, Any]:
    manifest: dict[str, Any] = json.loads(MANIFEST.read_text())
    return manifest


def http_manifest(base_url: str) -> dict[str, Any]:
    """The same app for HTTP mode: Slack posts commands, interactivity and events to one URL.
    Raises ManifestUrlError for a base URL Slack could not post to."""
    url = events_url(base_url)
    manifest = copy.deepcopy(load_manifest())
    for command in manifest["features"]["slash_commands"]:
        command["url"] = url
    manifest["settings"]["event_subscriptions"]["request_url"] = url
    manifest["settings"]["interactivity"]["request_url"] = url
    manifest["settings"]["socket_mode_enabled"] = False
    return manifest
