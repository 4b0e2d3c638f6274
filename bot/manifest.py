"""The Slack app manifest: the Socket Mode one we ship, and its HTTP-mode variant."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

MANIFEST = Path(__file__).resolve().parents[1] / "manifests" / "manifest.json"
EVENTS_PATH = "/slack/events"


def load_manifest() -> dict[str, Any]:
    manifest: dict[str, Any] = json.loads(MANIFEST.read_text())
    return manifest


def http_manifest(base_url: str) -> dict[str, Any]:
    """The same app for HTTP mode: Slack posts commands, interactivity and events to one URL."""
    url = base_url.rstrip("/") + EVENTS_PATH
    manifest = copy.deepcopy(load_manifest())
    for command in manifest["features"]["slash_commands"]:
        command["url"] = url
    manifest["settings"]["event_subscriptions"]["request_url"] = url
    manifest["settings"]["interactivity"]["request_url"] = url
    manifest["settings"]["socket_mode_enabled"] = False
    return manifest
