"""Typed views of the Slack payloads our listeners read. Nothing else looks at raw payloads.

Every request is parsed here before Bolt dispatches it (`reject_malformed`): a payload that
does not have the shape Slack sends (no `user`, `user` as a string, `actions` as an object,
a button value that is a number) is refused with a quiet 400, so a listener never meets one.
Free text is cleaned of control characters (NUL cannot be stored in PostgreSQL) on the way in,
and ids are read by `parse_id`, which refuses anything outside the database's range."""

from __future__ import annotations

import logging
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError
from slack_bolt import BoltResponse

from bot.drafts.service import DraftInput
from bot.schedule import changes
from bot.slack.ids import parse_id
from bot.slack.views.modals import IMAGE, SPONSORED
from bot.slack.views.slot_forms import NO_ACCOUNT
from bot.text import clean

log = logging.getLogger("socialbot.requests")

Text = Annotated[str, AfterValidator(clean)]
SlackId = Annotated[str, Field(min_length=1, max_length=32)]


class _Payload(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class SlashCommand(_Payload):
    user_id: SlackId
    team_id: str
    channel_id: str
    command: str
    text: Text = ""
    response_url: str
    trigger_id: str


class AppHomeOpened(_Payload):
    user: SlackId
    tab: str = "home"


# --- block_actions ---------------------------------------------------------------------------


class _User(_Payload):
    id: SlackId


class _Option(_Payload):
    value: str = ""


class _Action(_Payload):
    action_id: str
    block_id: str = ""
    value: str = ""
    selected_user: str | None = None
    selected_option: _Option | None = None


class _Container(_Payload):
    channel_id: str | None = None
    message_ts: str | None = None
    is_ephemeral: bool = False
    view_id: str | None = None


class _Channel(_Payload):
    id: str


class _Message(_Payload):
    ts: str | None = None
    thread_ts: str | None = None
    # The message's blocks as Slack shows them (ours): a row acted on is replaced in place.
    blocks: list[dict[str, Any]] = Field(default_factory=list, max_length=100)


class BlockActionsBody(_Payload):
    type: Literal["block_actions"]
    user: _User
    actions: list[_Action] = Field(min_length=1)
    trigger_id: str = ""
    container: _Container | None = None
    channel: _Channel | None = None
    message: _Message | None = None


class BlockAction(_Payload):
    """One click: who clicked, on what, in which message (or view: `view_id`)."""

    user_id: str
    action_id: str
    value: str = ""
    option: str = ""  # the option picked from a select or overflow menu
    selected_user: str | None = None
    block_id: str = ""
    trigger_id: str = ""
    channel_id: str | None = None
    message_ts: str | None = None
    thread_ts: str | None = None
    is_ephemeral: bool = False
    view_id: str | None = None
    message_blocks: tuple[dict[str, Any], ...] = ()  # of the message clicked in, if any

    @classmethod
    def from_body(cls, body: dict[str, Any]) -> BlockAction:
        parsed = BlockActionsBody.model_validate(body)
        action = parsed.actions[0]
        container = parsed.container or _Container()
        return cls(
            user_id=parsed.user.id,
            action_id=action.action_id,
            value=action.value,
            option=action.selected_option.value if action.selected_option else "",
            selected_user=action.selected_user,
            block_id=action.block_id,
            trigger_id=parsed.trigger_id,
            channel_id=container.channel_id or (parsed.channel.id if parsed.channel else None),
            message_ts=container.message_ts,
            is_ephemeral=container.is_ephemeral,
            thread_ts=parsed.message.thread_ts if parsed.message else None,
            view_id=container.view_id,
            message_blocks=tuple(parsed.message.blocks) if parsed.message else (),
        )

    @property
    def slot_id(self) -> int | None:
        """From the button's value, or a select's block (`slot_<id>`)."""
        head = self.value.split(":", 1)[0] or self.block_id.removeprefix("slot_")
        return parse_id(head)

    @property
    def draft_id(self) -> int | None:
        """A review button's value is its draft's id."""
        return parse_id(self.value)


# --- view_submission -------------------------------------------------------------------------


class _File(_Payload):
    id: str | None = None
    name: Text | None = None
    mimetype: str | None = None
    permalink: str | None = None


class _Element(_Payload):
    value: Text | None = None
    selected_option: _Option | None = None
    selected_options: list[_Option] | None = None
    selected_date: str | None = None
    selected_time: str | None = None
    selected_user: str | None = None
    files: list[_File] | None = None


class _State(_Payload):
    values: dict[str, dict[str, _Element]] = {}


class _View(_Payload):
    callback_id: str = ""
    private_metadata: str = ""
    state: _State = _State()


class ViewBody(_Payload):
    type: Literal["view_submission", "view_closed"]
    user: _User
    view: _View


class ViewSubmission(_Payload):
    user_id: str
    callback_id: str
    private_metadata: str = ""
    values: dict[str, dict[str, _Element]]

    @classmethod
    def from_body(cls, body: dict[str, Any]) -> ViewSubmission:
        parsed = ViewBody.model_validate(body)
        return cls(
            user_id=parsed.user.id,
            callback_id=parsed.view.callback_id,
            private_metadata=parsed.view.private_metadata,
            values=parsed.view.state.values,
        )

    @property
    def metadata_id(self) -> int | None:
        """Modals that concern one row carry its id as their private metadata."""
        return parse_id(self.private_metadata)

    def _element(self, block_id: str, action_id: str) -> _Element:
        return self.values.get(block_id, {}).get(action_id) or _Element()

    def draft(self) -> DraftInput:
        """The draft on a draft form (the reminder's modal and `/social draft` share fields)."""
        return DraftInput(
            text=self.text("text"),
            link=self.text("link"),
            note=self.text("note"),
            sponsored=self.checked(SPONSORED, SPONSORED),
            files=self.files(IMAGE),
        )

    def slot_form(self) -> changes.SlotForm:
        """The fields of a slot modal (Add a post, Edit, Move), each "" where absent."""
        account = self.selected(changes.ACCOUNT)
        return changes.SlotForm(
            department=self.selected(changes.DEPARTMENT),
            date=self.selected(changes.DATE),
            time=self.picked_time(changes.TIME),
            platform=self.selected(changes.PLATFORM),
            account="" if account == NO_ACCOUNT else account,
            topic=self.text(changes.TOPIC),
            contributor=self.picked_user(changes.CONTRIBUTOR),
        )

    def text(self, block_id: str, action_id: str = "value") -> str:
        return self._element(block_id, action_id).value or ""

    def files(self, block_id: str, action_id: str = "value") -> tuple[dict[str, str], ...]:
        """Files from a file_input: what we keep of each (never its content or private URL)."""
        files = self._element(block_id, action_id).files or []
        return tuple(f.model_dump(exclude_none=True) for f in files)

    def checked(self, block_id: str, value: str, action_id: str = "value") -> bool:
        options = self._element(block_id, action_id).selected_options or []
        return any(o.value == value for o in options)

    def picked_time(self, block_id: str, action_id: str = "value") -> str:
        return self._element(block_id, action_id).selected_time or ""

    def picked_user(self, block_id: str, action_id: str = "value") -> str:
        return self._element(block_id, action_id).selected_user or ""

    def selected(self, block_id: str, action_id: str = "value") -> str:
        element = self._element(block_id, action_id)
        option = element.selected_option
        return (option.value if option else "") or element.selected_date or ""


# --- events ----------------------------------------------------------------------------------


class _EventFile(_Payload):
    id: str | None = None
    name: Text | None = None
    mimetype: str | None = None
    permalink: str | None = None


class MessageEvent(_Payload):
    """A message in the bot's direct messages (message.im)."""

    user: str | None = None
    bot_id: str | None = None
    subtype: str | None = None
    channel: str
    channel_type: str | None = None
    ts: str
    thread_ts: str | None = None
    text: Text = ""
    blocks: list[dict[str, Any]] = []  # rich_text: read by `bot.slack.message_text`
    files: list[_EventFile] = []

    @property
    def is_person(self) -> bool:
        human = self.user is not None and self.bot_id is None
        return human and self.subtype in (None, "file_share")

    @property
    def is_person_in_a_thread(self) -> bool:
        return self.is_person and self.thread_ts is not None and self.thread_ts != self.ts

    def kept_files(self) -> tuple[dict[str, str], ...]:
        """What we keep of each attached file (never its content or private URL)."""
        return tuple(f.model_dump(exclude_none=True) for f in self.files)

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


class _Event(_Payload):
    type: str


class EventBody(_Payload):
    type: Literal["event_callback"]
    event: _Event


EVENT_SHAPES: dict[str, type[_Payload]] = {
    "message": MessageEvent,
    "app_home_opened": AppHomeOpened,
}


def check_shape(body: dict[str, Any]) -> None:
    """Parse a request as its listener will, raising ValidationError if it cannot be."""
    if "command" in body:
        SlashCommand.model_validate(body)
        return
    kind = body.get("type")
    if kind == "block_actions":
        BlockAction.from_body(body)
    elif kind in ("view_submission", "view_closed"):
        ViewSubmission.from_body(body)
    elif kind == "event_callback":
        event = EventBody.model_validate(body).event
        shape = EVENT_SHAPES.get(event.type)
        if shape is not None:
            shape.model_validate(body["event"])


def reject_malformed(body: dict[str, Any]) -> BoltResponse | None:
    """A quiet 400 for a payload that does not parse, with one log line naming where it is
    wrong (never the values); None for one that does. Run before Bolt dispatches at all:
    Bolt builds its middleware's kwargs (`action`, `view`…) assuming Slack's shapes."""
    try:
        check_shape(body)
    except ValidationError as exc:
        where = sorted({".".join(str(p) for p in e["loc"]) or "body" for e in exc.errors()})
        log.warning("malformed payload", extra={"status": 400, "detail": ", ".join(where)[:200]})
        return BoltResponse(status=400, body="")
    return None
