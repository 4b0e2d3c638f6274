"""The social platforms we know, and how to name them to people."""

from __future__ import annotations

from enum import StrEnum


class Platform(StrEnum):
    LINKEDIN = "linkedin"
    X = "x"
    FACEBOOK = "facebook"
    INSTAGRAM = "instagram"
    YOUTUBE = "youtube"
    TIKTOK = "tiktok"
    MASTODON = "mastodon"
    BLUESKY = "bluesky"
    THREADS = "threads"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    Platform.LINKEDIN: "LinkedIn",
    Platform.X: "X",
    Platform.FACEBOOK: "Facebook",
    Platform.INSTAGRAM: "Instagram",
    Platform.YOUTUBE: "YouTube",
    Platform.TIKTOK: "TikTok",
    Platform.MASTODON: "Mastodon",
    Platform.BLUESKY: "Bluesky",
    Platform.THREADS: "Threads",
}

PLATFORM_NAMES = ", ".join(p.value for p in Platform)


def parse_platform(value: str) -> Platform | None:
    try:
        return Platform(value.strip().lower())
    except ValueError:
        return None


def parse_account_ref(value: str) -> tuple[Platform, str] | None:
    """`platform:handle` (as in `--account`, `[goals]` and the generic CSV) → its parts, the
    handle without a leading `@`; None when it is not of that shape or the platform is unknown."""
    name, sep, handle = value.strip().partition(":")
    platform = parse_platform(name)
    handle = handle.strip().removeprefix("@")
    if not sep or platform is None or not handle:
        return None
    return platform, handle
