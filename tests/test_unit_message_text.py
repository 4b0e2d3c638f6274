"""A message as its author wrote it, from Slack's `text` markup or its rich_text blocks."""

from __future__ import annotations

from typing import Any

import pytest

from bot.slack.message_text import MAX_NAME_LOOKUPS, SlackMessage, as_written, from_markup

NAMES = {"U0OLIVIA": "Olivia", "U0BEN": "Ben"}
ENCODED = "Tips &amp; tricks from <@U0OLIVIA>: read <https://acme.example/story|our story> &lt;3"
WRITTEN = "Tips & tricks from @Olivia: read our story (https://acme.example/story) <3"


def _written(text: str, blocks: list[dict[str, Any]] | None = None) -> str:
    return as_written(SlackMessage(text, tuple(blocks or ())), NAMES.get)


def _rich(*elements: dict[str, Any]) -> dict[str, Any]:
    return {"type": "rich_text", "elements": list(elements)}


def _section(*elements: dict[str, Any]) -> dict[str, Any]:
    return {"type": "rich_text_section", "elements": list(elements)}


def _text(text: str, **style: bool) -> dict[str, Any]:
    return {"type": "text", "text": text, **({"style": style} if style else {})}


# --- text markup -----------------------------------------------------------------------------


def test_the_issues_reply_reads_as_written():
    assert _written(ENCODED) == WRITTEN


@pytest.mark.parametrize(
    ("encoded", "written"),
    [
        ("a &amp;lt; b", "a &lt; b"),  # `&lt;` typed literally: one level of escaping only
        ("1 &lt; 2 &gt; 0", "1 < 2 > 0"),
        ("<https://acme.example>", "https://acme.example"),
        ("<https://acme.example|https://acme.example>", "https://acme.example"),
        ("<http://acme.example|acme.example>", "http://acme.example"),  # auto-linked
        ("<mailto:jo@acme.example|jo@acme.example>", "jo@acme.example"),
        ("<https://a.example/?q=1&amp;r=2|the list>", "the list (https://a.example/?q=1&r=2)"),
        ("<https://a.example|Tips &amp; tricks>", "Tips & tricks (https://a.example)"),
        ("<@U0BEN> and <@U0NOBODY>", "@Ben and @U0NOBODY"),
        ("<@U0NOBODY|jo>", "@jo"),  # an old-style mention carries its label
        ("<#C0GENERAL|general>", "#general"),
        ("<#C0GENERAL>", "#C0GENERAL"),
        ("<!here> <!channel> <!everyone>", "@here @channel @everyone"),
        ("<!here|@here>", "@here"),
        ("<!subteam^S0TEAM|@design>", "@design"),
        ("<!date^1700000000^{date_short}|Nov 14, 2023>", "Nov 14, 2023"),
        ("*bold* _it_ :tada:", "*bold* _it_ :tada:"),
        ("line one\nline two", "line one\nline two"),
        ("", ""),
    ],
)
def test_slack_markup(encoded: str, written: str):
    assert _written(encoded) == written


def test_control_characters_are_dropped():
    assert _written("a\x00b\x07c") == "abc"


def test_markup_without_names_uses_the_label_or_the_id():
    assert from_markup("<@U1|jo> <@U2>") == "@jo @U2"


# --- rich_text blocks ------------------------------------------------------------------------


def test_rich_text_is_preferred_over_text():
    block = _rich(
        _section(
            _text("Tips & tricks from "),
            {"type": "user", "user_id": "U0OLIVIA"},
            _text(": read "),
            {"type": "link", "url": "https://acme.example/story", "text": "our story"},
            _text(" <3"),
        )
    )
    assert _written("ignored when blocks say it", [block]) == WRITTEN


def test_rich_text_elements():
    block = _rich(
        _section(
            _text("Bold", bold=True),
            _text(" "),
            {"type": "emoji", "name": "tada", "unicode": "1f389"},
            {"type": "emoji", "name": "technologist", "unicode": "1f9d1-200d-1f4bb"},
            {"type": "emoji", "name": "partyparrot"},  # custom: no character
            _text(" "),
            {"type": "broadcast", "range": "channel"},
            _text(" "),
            {"type": "channel", "channel_id": "C0GENERAL"},
            _text(" "),
            {"type": "usergroup", "usergroup_id": "S0TEAM"},
            _text(" "),
            {"type": "link", "url": "https://acme.example"},
            _text(" "),
            {"type": "date", "timestamp": 1700000000, "format": "{date}", "fallback": "14 Nov"},
            _text("\n"),
        ),
    )
    assert _written("", [block]) == (
        "Bold 🎉🧑\u200d💻:partyparrot: @channel #C0GENERAL @S0TEAM https://acme.example 14 Nov"
    )


def test_rich_text_lists_quotes_and_code_keep_their_lines():
    block = _rich(
        _section(_text("Three things:\n")),
        {
            "type": "rich_text_list",
            "style": "bullet",
            "indent": 0,
            "elements": [_section(_text("one")), _section(_text("two"))],
        },
        {
            "type": "rich_text_list",
            "style": "ordered",
            "indent": 1,
            "elements": [_section(_text("first")), _section(_text("second"))],
        },
        {"type": "rich_text_quote", "elements": [_text("quoted")]},
        {"type": "rich_text_preformatted", "elements": [_text("code <here>")]},
        _section(_text("The end")),
    )
    assert _written("", [block]) == (
        "Three things:\n• one\n• two\n  1. first\n  2. second\nquoted\ncode <here>\nThe end"
    )


def test_several_rich_text_blocks_are_lines_and_other_blocks_are_ignored():
    blocks = [
        _rich(_section(_text("one"))),
        {"type": "section", "text": {"type": "mrkdwn", "text": "not typed"}},
        _rich(_section(_text("two"))),
    ]
    assert _written("", blocks) == "one\ntwo"


@pytest.mark.parametrize(
    "junk",
    [
        {"type": "rich_text", "elements": "nope"},
        {"type": "rich_text", "elements": [{"type": "rich_text_section", "elements": [1, None]}]},
        {"type": "rich_text", "elements": [{"type": "rich_text_list", "indent": 10**9}]},
        {"type": "rich_text", "elements": [_section({"type": "emoji", "unicode": "zz"})]},
        {"type": "rich_text", "elements": [_section({"type": "emoji", "unicode": "fffffffff"})]},
        {"type": "rich_text", "elements": [_section({"type": "user", "user_id": 5})]},
    ],
)
def test_malformed_rich_text_never_raises(junk: dict[str, Any]):
    assert isinstance(_written("fallback", [junk]), str)


def test_names_are_asked_once_each_and_only_so_many():
    asked: list[str] = []

    def name_of(user_id: str) -> str | None:
        asked.append(user_id)
        return user_id.lower()

    many = " ".join(f"<@U{i}> <@U{i}>" for i in range(MAX_NAME_LOOKUPS + 5))
    text = as_written(SlackMessage(many), name_of)
    assert len(asked) == MAX_NAME_LOOKUPS and len(set(asked)) == MAX_NAME_LOOKUPS
    assert text.startswith("@u0 @u0 @u1") and text.endswith(f"@U{MAX_NAME_LOOKUPS + 4}")
