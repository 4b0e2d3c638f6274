"""Typed views of the Slack payloads our listeners read. Nothing else looks at raw payloads."""

from __future__ import annotations

from typing import Any

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


class BlockAction(_Payload):
    """One click: who clicked, on what, in which message."""

    user_id: str
    action_id: str
    value: str = ""
    selected_user: str | None = None
    block_id: str = ""
    trigger_id: str = ""
    channel_id: str | None = None
    message_ts: str | None = None

    @classmethod
    def from_body(cls, body: dict[str, Any]) -> BlockAction:
        action = (body.get("actions") or [{}])[0]
        container = body.get("container") or {}
        return cls(
            user_id=body["user"]["id"],
            action_id=action.get("action_id", ""),
            value=action.get("value") or "",
            selected_user=action.get("selected_user"),
            block_id=action.get("block_id", ""),
            trigger_id=body.get("trigger_id", ""),
            channel_id=container.get("channel_id") or (body.get("channel") or {}).get("id"),
            message_ts=container.get("message_ts"),
        )

    @property
    def slot_id(self) -> int | None:
        """From the button's value, or a select's block (`slot_<id>`)."""
        head = self.value.split(":", 1)[0] or self.block_id.removeprefix("slot_")
        return int(head) if head.isdigit() else None


class ViewSubmission(_Payload):
    user_id: str
    callback_id: str
    private_metadata: str = ""
    values: dict[str, dict[str, Any]]

    @classmethod
    def from_body(cls, body: dict[str, Any]) -> ViewSubmission:
        view = body["view"]
        return cls(
            user_id=body["user"]["id"],
            callback_id=view.get("callback_id", ""),
            private_metadata=view.get("private_metadata") or "",
            values=(view.get("state") or {}).get("values") or {},
        )

    def text(self, block_id: str, action_id: str = "value") -> str:
        return str((self.values.get(block_id, {}).get(action_id) or {}).get("value") or "")

    def files(self, block_id: str, action_id: str = "value") -> tuple[dict[str, str], ...]:
        """Files from a file_input: what we keep of each (never its content or private URL)."""
        element = self.values.get(block_id, {}).get(action_id) or {}
        keep = ("id", "name", "mimetype", "permalink")
        return tuple({k: str(f[k]) for k in keep if k in f} for f in element.get("files") or [])

    def checked(self, block_id: str, value: str, action_id: str = "value") -> bool:
        element = self.values.get(block_id, {}).get(action_id) or {}
        return any(o.get("value") == value for o in element.get("selected_options") or [])

    def selected(self, block_id: str, action_id: str = "value") -> str:
        element = self.values.get(block_id, {}).get(action_id) or {}
        option = element.get("selected_option") or {}
        return str(option.get("value") or element.get("selected_date") or "")


class MessageEvent(_Payload):
    """A message in the bot's direct messages (message.im)."""

    user: str | None = None
    bot_id: str | None = None
    subtype: str | None = None
    channel: str
    channel_type: str | None = None
    ts: str
    thread_ts: str | None = None
    text: str = ""
    files: list[dict[str, Any]] = []

    @property
    def is_person_in_a_thread(self) -> bool:
        return (
            self.user is not None
            and self.bot_id is None
            and self.subtype in (None, "file_share")
            and self.thread_ts is not None
            and self.thread_ts != self.ts
        )

    @property
    def is_file_drop(self) -> bool:
        """A person's top-level message with files (not a reply in a thread)."""
        return (
            self.user is not None
            and self.bot_id is None
            and self.subtype in (None, "file_share")
            and self.thread_ts is None
            and bool(self.files)
        )
