"""The manifest creates the app Slack needs: valid against Slack's schema, and in step with
the commands and events the code listens to."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

import handlers
from bot.manifest import http_manifest, load_manifest
from tests.conftest import SHARED

SCHEMA = SHARED / "slack-manifest-schema" / "manifest.schema.1.0.0.json"


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    if not SCHEMA.exists():
        pytest.skip(f"Slack's manifest schema is not at {SCHEMA} (../shared is absent)")
    return json.loads(Path(SCHEMA).read_text())


def _errors(schema: dict[str, Any], manifest: dict[str, Any]) -> list[str]:
    validator = jsonschema.Draft7Validator(schema)
    return [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(manifest)]


def test_socket_mode_manifest_is_valid(schema):
    manifest = load_manifest()
    assert manifest["_metadata"]["major_version"] == 1
    assert _errors(schema, manifest) == []
    assert manifest["settings"]["socket_mode_enabled"] is True


def test_http_manifest_is_valid_and_points_everything_at_one_url(schema):
    manifest = http_manifest("https://social.example.org/")
    assert _errors(schema, manifest) == []
    url = "https://social.example.org/slack/events"
    assert {c["url"] for c in manifest["features"]["slash_commands"]} == {url}
    assert manifest["settings"]["event_subscriptions"]["request_url"] == url
    assert manifest["settings"]["interactivity"]["request_url"] == url
    assert manifest["settings"]["socket_mode_enabled"] is False


def test_schema_check_catches_a_broken_manifest(schema):
    broken = load_manifest()
    broken["settings"]["event_subscriptions"]["bot_events"] = ["not_a_real_event!"]
    broken["display_information"].pop("name")
    assert _errors(schema, broken)


def test_every_handled_command_is_declared_and_every_declared_one_handled():
    declared = {c["command"] for c in load_manifest()["features"]["slash_commands"]}
    assert declared == set(handlers.COMMANDS)


def test_every_handled_event_is_subscribed_and_every_subscription_handled():
    declared = set(load_manifest()["settings"]["event_subscriptions"]["bot_events"])
    assert declared == set(handlers.EVENTS)


def test_app_home_and_interactivity_are_on():
    manifest = load_manifest()
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
    assert manifest["settings"]["interactivity"]["is_enabled"] is True
    assert {"commands", "chat:write", "users:read"} <= set(
        manifest["oauth_config"]["scopes"]["bot"]
    )


def test_the_readme_organisation_example_is_a_valid_file():
    import re

    from bot.organisation.spec import parse_organisation

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    [example] = re.findall(r"```toml\n(.*?)```", readme, re.S)
    spec = parse_organisation(example)
    assert spec.departments[0].rules and spec.protocols.banned_phrases
