"""A message as its author wrote it, from Slack's encoding of it.

Slack sends a message two ways: `text`, in its internal markup (`&amp;` `&lt;` `&gt;`
escaped, `<@U123>` for a mention, `<https://x|label>` for a labelled link, `<!here>`…), and,
for messages people type, `rich_text` blocks holding the same content as typed elements. What
we keep and show is the text a reader sees in Slack, the text that gets posted: `&`, `<3`,
`@Olivia`, `our story (https://acme.example/story)`. The blocks are preferred; `text` is read
when a message has none.

The result is plain text. Whoever shows it in Slack makes it inert (plain_text, or
`views.common.escape`), as with anything people typed."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.text import clean

# The user's display name for a user id (`people.display_name`), or None if Slack can't say.
NameOf = Callable[[str], str | None]
# A message with more distinct mentions than this has the rest shown by their id, so one
# hostile message cannot cost hundreds of users.info calls.
MAX_NAME_LOOKUPS = 20
BROADCASTS = ("here", "channel", "everyone")

_ANGLED = re.compile(r"<([^<>]*)>")
_ENTITIES = (("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&"))


@dataclass(frozen=True)
class SlackMessage:
    """A message as Slack delivered it: the encoded `text` and its blocks (raw JSON)."""

    text: str
    blocks: Sequence[Mapping[str, Any]] = field(default=())


class _Names:
    """Display names asked at most once per user, and of at most MAX_NAME_LOOKUPS users."""

    def __init__(self, name_of: NameOf) -> None:
        self._name_of = name_of
        self._known: dict[str, str | None] = {}

    def __call__(self, user_id: str, label: str = "") -> str:
        if user_id not in self._known and len(self._known) < MAX_NAME_LOOKUPS:
            self._known[user_id] = self._name_of(user_id)
        name = self._known.get(user_id) or label.removeprefix("@") or user_id
        return f"@{name}"


def as_written(message: SlackMessage, name_of: NameOf) -> str:
    """The message's text as its author sees it in Slack: plain, with names for mentions."""
    names = _Names(name_of)
    rich = [b for b in message.blocks if isinstance(b, Mapping) and b.get("type") == "rich_text"]
    if rich:
        text = "\n".join(_rich_block(b, names) for b in rich)
    else:
        text = from_markup(message.text, names)
    return clean(text)


# --- Slack's markup (`text`) -----------------------------------------------------------------


def unescape(text: str) -> str:
    """Slack escapes exactly three characters in message text."""
    for entity, char in _ENTITIES:
        text = text.replace(entity, char)
    return text


def from_markup(text: str, name_of: Callable[[str, str], str] | None = None) -> str:
    """Slack's message markup as the reader sees it. `name_of(user_id, label)` names a
    mentioned user (by default, the label Slack gave or the id)."""
    names = name_of or (lambda user_id, label: f"@{label.removeprefix('@') or user_id}")

    def token(match: re.Match[str]) -> str:
        inner = match[1]
        target, _, label = inner.partition("|")
        label = unescape(label)
        if target.startswith("@"):
            return names(target[1:], label)
        if target.startswith("#"):
            return f"#{label or target[1:]}"
        if target.startswith("!"):
            return _special(target[1:], label)
        return _link(unescape(target), label)

    return unescape(_ANGLED.sub(token, text))


def _special(command: str, label: str) -> str:
    """`<!here>`, `<!subteam^S1|@team>`, `<!date^1700000000^{date}|fallback>`…"""
    name = command.split("^", 1)[0]
    if name in BROADCASTS:
        return f"@{name}"
    if label:
        return label
    return f"@{name}" if name != "date" else ""


def _link(url: str, label: str) -> str:
    shown = url.removeprefix("mailto:")
    if not label or label in (url, shown) or _bare(label) == _bare(url):
        return shown
    return f"{label} ({shown})"


def _bare(url: str) -> str:
    """A URL as Slack labels an auto-linked one: `acme.example` for `http://acme.example`."""
    return re.sub(r"^[a-z][a-z0-9+.-]*://", "", url, flags=re.IGNORECASE).rstrip("/")


# --- rich_text blocks ------------------------------------------------------------------------


def _rich_block(block: Mapping[str, Any], names: _Names) -> str:
    parts: list[str] = []
    for element in _list(block.get("elements")):
        kind = element.get("type")
        if kind == "rich_text_list":
            piece = _rich_list(element, names)
        elif kind in ("rich_text_section", "rich_text_preformatted", "rich_text_quote"):
            piece = _inline(_list(element.get("elements")), names)
        else:
            continue
        if parts and not parts[-1].endswith("\n"):
            parts.append("\n")
        parts.append(piece)
    return "".join(parts).rstrip("\n") if parts else ""


def _rich_list(element: Mapping[str, Any], names: _Names) -> str:
    indent = "  " * _int(element.get("indent"))
    ordered = element.get("style") == "ordered"
    start = _int(element.get("offset"))
    lines = []
    for number, item in enumerate(_list(element.get("elements")), start=start + 1):
        marker = f"{number}." if ordered else "•"
        text = _inline(_list(item.get("elements")), names).rstrip("\n")
        lines.append(f"{indent}{marker} {text}")
    return "\n".join(lines)


def _inline(elements: list[Mapping[str, Any]], names: _Names) -> str:
    return "".join(_element(e, names) for e in elements)


def _element(element: Mapping[str, Any], names: _Names) -> str:
    kind = element.get("type")
    if kind == "text":
        return _str(element.get("text"))
    if kind == "link":
        return _link(_str(element.get("url")), _str(element.get("text")))
    if kind == "user":
        return names(_str(element.get("user_id")))
    if kind == "emoji":
        return _emoji(element)
    if kind == "broadcast":
        return f"@{_str(element.get('range')) or 'here'}"
    if kind == "channel":
        return f"#{_str(element.get('channel_id'))}"
    if kind == "usergroup":
        return f"@{_str(element.get('usergroup_id'))}"
    if kind == "date":
        return _str(element.get("fallback"))
    if kind == "color":
        return _str(element.get("value"))
    return _str(element.get("text"))


def _emoji(element: Mapping[str, Any]) -> str:
    """The emoji itself where Slack gives its code points (`1f389`, `1f469-200d-1f4bb`),
    else its `:name:` as typed (a custom emoji has no character)."""
    code = _str(element.get("unicode"))
    try:
        if code:
            return "".join(chr(int(point, 16)) for point in code.split("-"))
    except (ValueError, OverflowError):
        pass
    return f":{_str(element.get('name'))}:"


def _list(value: object) -> list[Mapping[str, Any]]:
    return [v for v in value if isinstance(v, Mapping)] if isinstance(value, list) else []


def _str(value: object) -> str:
    return value if isinstance(value, str) else ""


def _int(value: object) -> int:
    return value if isinstance(value, int) and 0 <= value < 10 else 0
