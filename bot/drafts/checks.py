"""Content checks run on a draft before submission and again for the reviewer.

Hard rules block submission with their reason; soft rules are warnings the reviewer sees."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from urllib.parse import urlparse

from bot.organisation.platforms import Platform

# Characters (X: weighted, links count 23). Sources: each platform's published limits.
LENGTH_LIMITS: dict[Platform, int] = {
    Platform.X: 280,
    Platform.LINKEDIN: 3000,
    Platform.INSTAGRAM: 2200,
    Platform.FACEBOOK: 63206,
    Platform.THREADS: 500,
    Platform.BLUESKY: 300,
    Platform.MASTODON: 500,
    Platform.TIKTOK: 2200,
    Platform.YOUTUBE: 5000,
}
HASHTAG_LIMITS: dict[Platform, int] = {Platform.INSTAGRAM: 30}  # hard limits
X_LINK_WEIGHT = 23
URL = re.compile(r"https?://\S+", re.IGNORECASE)
HASHTAG = re.compile(r"(?<![\w&])#(\w+)", re.UNICODE)
# Text that promises a link: "link below", "link in bio", "read more at", "click here"…
PROMISES_LINK = re.compile(
    r"\b(link (below|here|in (the )?(bio|comments))|read more (at|here)|click here|see link)\b",
    re.IGNORECASE,
)


class Level(StrEnum):
    HARD = "hard"
    SOFT = "soft"


@dataclass(frozen=True)
class Finding:
    check: str
    level: Level
    message: str


@dataclass(frozen=True)
class Protocols:
    """The organisation's own rules, from the organisation file."""

    banned_phrases: tuple[str, ...] = ()
    words_to_avoid: tuple[str, ...] = ()
    disclosure_tags: tuple[str, ...] = ("#ad",)
    max_hashtags: int = 5


@dataclass(frozen=True)
class Report:
    findings: tuple[Finding, ...] = field(default=())

    @property
    def blocked(self) -> bool:
        return any(f.level is Level.HARD for f in self.findings)

    @property
    def hard(self) -> list[Finding]:
        return [f for f in self.findings if f.level is Level.HARD]

    @property
    def soft(self) -> list[Finding]:
        return [f for f in self.findings if f.level is Level.SOFT]


def weighted_length(text: str, platform: Platform) -> int:
    if platform is Platform.X:
        return len(URL.sub("", text)) + X_LINK_WEIGHT * len(URL.findall(text))
    return len(text)


def check_draft(
    *,
    text: str,
    platform: Platform,
    protocols: Protocols,
    link: str = "",
    has_image: bool = False,
    sponsored: bool = False,
) -> Report:
    findings: list[Finding] = []
    full = f"{text} {link}".strip() if link and link not in text else text
    limit = LENGTH_LIMITS[platform]
    length = weighted_length(full, platform)
    if length > limit:
        findings.append(
            Finding("length", Level.HARD, f"{length} characters; {platform.label} allows {limit}")
        )
    if platform is Platform.INSTAGRAM and not has_image:
        findings.append(Finding("image", Level.HARD, "Instagram posts need an image"))
    tags = HASHTAG.findall(text)
    hard_limit = HASHTAG_LIMITS.get(platform)
    if hard_limit is not None and len(tags) > hard_limit:
        findings.append(
            Finding(
                "hashtags",
                Level.HARD,
                f"{len(tags)} hashtags; {platform.label} allows {hard_limit}",
            )
        )
    elif len(tags) > protocols.max_hashtags:
        findings.append(
            Finding(
                "hashtags",
                Level.SOFT,
                f"{len(tags)} hashtags; our protocol is at most {protocols.max_hashtags}",
            )
        )
    urls = ([link] if link else []) + URL.findall(text)
    if not urls and PROMISES_LINK.search(text) and platform is not Platform.INSTAGRAM:
        findings.append(Finding("link", Level.SOFT, "the text mentions a link but there is none"))
    for url in urls:
        parsed = urlparse(url.rstrip(").,!?"))
        if parsed.scheme not in ("http", "https") or "." not in parsed.netloc:
            findings.append(
                Finding("link", Level.SOFT, f"{url[:80]} doesn't look like a working link")
            )
    lowered = text.casefold()
    for phrase in protocols.banned_phrases:
        if phrase.casefold() in lowered:
            findings.append(Finding("protocol", Level.HARD, f"uses the banned phrase “{phrase}”"))
    for word in protocols.words_to_avoid:
        if re.search(rf"\b{re.escape(word.casefold())}\b", lowered):
            findings.append(Finding("protocol", Level.SOFT, f"uses “{word}”, which we avoid"))
    if sponsored and not any(tag.casefold() in lowered for tag in protocols.disclosure_tags):
        wanted = " or ".join(protocols.disclosure_tags)
        findings.append(Finding("disclosure", Level.HARD, f"sponsored posts must carry {wanted}"))
    return Report(tuple(findings))
