"""The one engagement rate every report uses, whatever each platform calls engagement.

    interactions    = reactions/likes + comments/replies + shares/reposts + saves/bookmarks
    engagement rate = interactions / impressions

Clicks are kept separately (X `Engagements` and LinkedIn `Engagement rate` count them; we do
not), and so is reach (people) versus impressions/views (times shown). Where an export gives
only a total (LinkedIn creator `Engagements`), that total stands for interactions."""

from __future__ import annotations


def interactions(
    reactions: int | None,
    comments: int | None,
    shares: int | None,
    saves: int | None,
) -> int | None:
    """Their sum, counting an unknown part as none; None when every part is unknown."""
    parts = (reactions, comments, shares, saves)
    if all(p is None for p in parts):
        return None
    return sum(p for p in parts if p is not None)


def engagement_rate(interactions: int | None, impressions: int | None) -> float | None:
    """None where it cannot be told (no impressions, or none known)."""
    if interactions is None or not impressions:
        return None
    return interactions / impressions
