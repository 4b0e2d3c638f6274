"""Typed views of the Slack payloads our listeners read. Nothing else looks at raw payloads."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class _Payload(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class SlashCommand(_Payload):
    user_id: str
    team_id: str
    channel_id: str
    command: str
    text: str = ""
    response_url: str
    trigger_id: str


class AppHomeOpened(_Payload):
    user: str
    tab: str = "home"
