"""Action and callback ids of credential access: the contract between views and listeners."""

from __future__ import annotations

from enum import StrEnum


class AccessAction(StrEnum):
    APPROVE = "access_approve"
    DENY = "access_deny"
    REVEAL = "access_reveal"
    REFRESH = "access_refresh"
    BREAK_GLASS = "access_break_glass"
    REVOKE = "access_revoke"


class AccessCallback(StrEnum):
    REQUEST = "access_request_submit"
    DENY = "access_deny_submit"
    BREAK_GLASS = "access_break_glass_submit"
    SET_SECRET = "access_set_submit"
    REVEAL = "access_reveal_view"
    NOTICE = "access_notice_view"
