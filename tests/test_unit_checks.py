"""Content checks: platform limits and the organisation's protocols."""

from __future__ import annotations

from bot.drafts.checks import Level, Protocols, check_draft, weighted_length
from bot.organisation.platforms import Platform

PROTOCOLS = Protocols(
    banned_phrases=("guaranteed returns",), words_to_avoid=("synergy",), max_hashtags=2
)


def test_x_counts_every_link_as_23():
    text = "Read this https://example.org/a/very/long/path/that/goes/on/and/on ok"
    assert weighted_length(text, Platform.X) == len("Read this  ok") + 23
    long = "a" * 256 + " https://example.org/" + "x" * 100
    assert not check_draft(text=long, platform=Platform.X, protocols=PROTOCOLS).blocked
    assert check_draft(text="a" * 281, platform=Platform.X, protocols=PROTOCOLS).blocked


def test_platform_limits_and_instagram_images():
    assert not check_draft(text="a" * 3000, platform=Platform.LINKEDIN, protocols=PROTOCOLS).blocked
    report = check_draft(text="a" * 3001, platform=Platform.LINKEDIN, protocols=PROTOCOLS)
    assert [f.message for f in report.hard] == ["3001 characters; LinkedIn allows 3000"]
    no_image = check_draft(text="hi", platform=Platform.INSTAGRAM, protocols=PROTOCOLS)
    assert [f.check for f in no_image.hard] == ["image"]
    assert not check_draft(
        text="hi", platform=Platform.INSTAGRAM, protocols=PROTOCOLS, has_image=True
    ).blocked


def test_protocols_hard_and_soft():
    report = check_draft(
        text="Synergy with guaranteed returns! #a #b #c http//broken",
        platform=Platform.LINKEDIN,
        protocols=PROTOCOLS,
        link="notaurl",
        sponsored=True,
    )
    hard = {f.check for f in report.hard}
    soft = {f.check for f in report.soft}
    assert hard == {"protocol", "disclosure"}
    assert {"hashtags", "link", "protocol"} <= soft
    assert all(f.level is Level.SOFT for f in report.soft)
    ok = check_draft(
        text="Our partner #ad", platform=Platform.X, protocols=PROTOCOLS, sponsored=True
    )
    assert not ok.blocked


def test_a_promised_link_that_is_missing_is_flagged():
    report = check_draft(
        text="Big news, link below!", platform=Platform.LINKEDIN, protocols=PROTOCOLS
    )
    assert [f.message for f in report.soft] == ["the text mentions a link but there is none"]
    fine = check_draft(
        text="Big news, link below!",
        platform=Platform.LINKEDIN,
        protocols=PROTOCOLS,
        link="https://acme.org/news",
    )
    assert fine.findings == ()
