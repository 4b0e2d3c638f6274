"""The small rules behind hostile input: ids, cleaning, echoes, splitting, signatures."""

from __future__ import annotations

import hmac

import pytest

from bot.request_gate import is_signed
from bot.schedule.timing import Month
from bot.slack.ids import MAX_ID, parse_id
from bot.slack.views.common import echo, escape, split_text
from bot.text import capped, clean, clip
from handlers.context import describe


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("12", 12),
        ("#12", 12),
        (" #7 ", 7),
        (str(MAX_ID), MAX_ID),
        (str(MAX_ID + 1), None),
        (str(2**63), None),
        ("0", None),
        ("-1", None),
        ("²", None),
        ("٣", None),
        ("1e3", None),
        ("abc", None),
        ("", None),
    ],
)
def test_parse_id_takes_only_ids_the_database_can_hold(typed: str, expected: int | None):
    assert parse_id(typed) == expected


def test_clean_keeps_tabs_and_newlines_and_drops_other_controls():
    assert clean("a\x00b\x07c\r\nd\te\x1bf\x7fg\x85h") == "abc\nd\tefgh"


def test_clip_and_echo_bound_what_is_said_back():
    assert clip("abc", 5) == "abc"
    assert clip("abcdef", 5) == "abcd…"
    said = echo("<!channel>" * 100_000)
    assert len(said) < 600 and "<" not in said and said.endswith("…")
    assert escape("a & <@U1> > b") == "a &amp; &lt;@U1&gt; &gt; b"


def test_split_text_joins_back_exactly_in_pieces_within_the_limit():
    text = ("word " * 2000) + "x" * 7000
    pieces = split_text(text, 3000)
    assert "".join(pieces) == text
    assert all(len(p) <= 3000 for p in pieces)
    assert pieces[0].endswith(" ")
    assert split_text("short") == ["short"]


def test_capped_lists_the_first_and_counts_the_rest():
    assert capped(["a", "b"], 5) == ["a", "b"]
    assert capped([str(i) for i in range(100)], 3) == ["0", "1", "2", "…and 97 more problems"]


def test_months_far_from_the_ends_of_the_calendar_only():
    assert Month.parse("2027-02") == Month(2027, 2)
    assert Month.parse("9999-12") is None and Month.looks_like("9999-12")
    assert Month.parse("0000-01") is None
    assert Month.parse("2027-13") is None


def _sign(secret: str, stamp: str, body: str) -> str:
    mac = hmac.new(secret.encode(), f"v0:{stamp}:{body}".encode(), "sha256")
    return "v0=" + mac.hexdigest()


@pytest.mark.parametrize("stamp", ["abc", "1.7e9", "-1", "", " 100", "9" * 40, "١٠٠"])
def test_a_timestamp_that_is_not_whole_seconds_is_refused_without_raising(stamp: str):
    assert is_signed("s", "b", stamp, _sign("s", stamp, "b"), now=100.0) is False


def test_a_current_correct_signature_is_accepted_and_a_stale_one_refused():
    assert is_signed("s", "b", "100", _sign("s", "100", "b"), now=150.0)
    assert not is_signed("s", "b", "100", _sign("s", "100", "b"), now=100.0 + 301)
    assert not is_signed("s", "b", "100", None, now=100.0)
    assert not is_signed("s", "b", "100", "v0=ÿ" + "0" * 63, now=100.0)


@pytest.mark.parametrize(
    "body",
    [
        {"type": "block_actions", "actions": {"action_id": "x"}},
        {"type": "block_actions", "actions": ["x"]},
        {"type": "view_submission", "view": "x"},
        {"type": "event_callback", "event": []},
        {"type": ["x"]},
        {"command": {"a": 1}},
        [],
    ],
)
def test_the_request_log_describes_any_shape(body):
    described = describe(body)  # type: ignore[arg-type]
    assert all(isinstance(v, str) and len(v) <= 64 for v in described.values())
