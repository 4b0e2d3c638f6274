"""One key per published post, whichever way its URL was written: x.com or twitter.com, `www.`
or `m.`, a trailing slash, tracking query strings, LinkedIn `activity`, `share` or `ugcPost`
URNs with the same id. A slot's `Mark as published` URL and a post's permalink in an export
match when their keys do."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

_X_HOSTS = {"x.com", "twitter.com", "mobile.twitter.com", "mobile.x.com"}
_X_STATUS = re.compile(
    r"^/(?:(?P<handle>[A-Za-z0-9_]{1,50})|i(?:/web)?)/status(?:es)?/(?P<id>\d{5,20})"
)
_LINKEDIN_URN = re.compile(r"urn:li:(?:activity|share|ugcPost|ugcpost):(?P<id>\d{5,25})")
_LINKEDIN_SLUG = re.compile(r"-(?:activity|share|ugcPost)-(?P<id>\d{5,25})-")
_INSTAGRAM = re.compile(r"^/(?:[A-Za-z0-9_.]+/)?(?:p|reel|reels|tv)/(?P<code>[A-Za-z0-9_-]{5,40})")
# Query parameters that say which post it is; every other one (utm_*, s, t, si, igsh…) is
# tracking and dropped.
_MEANINGFUL_QUERY = {"v", "story_fbid", "id", "fbid", "p"}
_HOST_PREFIXES = ("www.", "m.", "mobile.", "web.")


def post_key(url: str) -> str | None:
    """The key two URLs of the same post share; None for what is not a web link."""
    parts = _split(url)
    if parts is None:
        return None
    host, path, query = parts
    decoded = unquote(path)
    if host in _X_HOSTS or host.endswith((".x.com", ".twitter.com")):
        match = _X_STATUS.match(decoded)
        if match:
            return f"x:{match['id']}"
    if host.endswith("linkedin.com"):
        found = linkedin_id(decoded + "?" + unquote(query))
        if found:
            return f"linkedin:{found}"
    if host.endswith("instagram.com"):
        match = _INSTAGRAM.match(decoded)
        if match:
            return f"instagram:{match['code']}"
    kept = [(k, v) for k, v in parse_qsl(query, keep_blank_values=False) if k in _MEANINGFUL_QUERY]
    tail = decoded.rstrip("/")
    if kept:
        tail += "?" + urlencode(sorted(kept))
    return f"{host}{tail}"


def linkedin_id(text: str) -> str | None:
    """The post id in a LinkedIn URN or post URL (`urn:li:activity:7…`, `…-activity-7…-abcd`)."""
    match = _LINKEDIN_URN.search(unquote(text)) or _LINKEDIN_SLUG.search(unquote(text))
    return match["id"] if match else None


def handle_in_url(url: str) -> str | None:
    """The account a post URL names: x.com/<handle>/status/…, instagram.com/<handle>/…"""
    parts = _split(url)
    if parts is None:
        return None
    host, path, _ = parts
    if host in _X_HOSTS:
        match = _X_STATUS.match(path)
        return match["handle"] if match and match["handle"] else None
    first = path.strip("/").split("/", 1)[0]
    if (
        host.endswith("facebook.com")
        and first
        and first
        not in {
            "permalink.php",
            "photo.php",
            "photo",
            "reel",
            "watch",
            "story.php",
            "groups",
        }
    ):
        return None if first.isdigit() else first
    return None


def _split(url: str) -> tuple[str, str, str] | None:
    raw = url.strip()
    if not raw:
        return None
    if "://" not in raw:
        raw = "https://" + raw
    try:
        parts = urlsplit(raw)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname.lower()
    for prefix in _HOST_PREFIXES:
        if host.startswith(prefix) and host.count(".") >= 2:
            host = host[len(prefix) :]
            break
    if host == "mobile.twitter.com":
        host = "twitter.com"
    return host, parts.path or "/", parts.query
