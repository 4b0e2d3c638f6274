"""Which of the organisation's accounts a file is about: named `platform:handle`, handles
compared case-insensitively and without a leading `@`; a page name like "Acme Ltd" matches
the handle `acmeltd` or `acme-ltd` (letters and digits compared)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from bot.organisation.platforms import Platform, parse_account_ref

_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def loose(name: str) -> str:
    return _NOT_ALNUM.sub("", name.casefold().removeprefix("@"))


@dataclass(frozen=True)
class KnownAccount:
    id: int
    platform: Platform
    handle: str

    @property
    def ref(self) -> str:
        return f"{self.platform.value}:{self.handle}"


class AccountBook:
    def __init__(self, accounts: Iterable[KnownAccount]) -> None:
        self.accounts = list(accounts)
        self._exact = {(a.platform, a.handle.casefold()): a for a in self.accounts}

    def named(self, ref: str) -> KnownAccount | None:
        """`platform:handle` → the account, or None."""
        parsed = parse_account_ref(ref)
        if parsed is None:
            return None
        return self._exact.get((parsed[0], parsed[1].casefold()))

    def matching(self, platform: Platform, hint: str) -> list[KnownAccount]:
        wanted = loose(hint)
        exact = self._exact.get((platform, hint.strip().removeprefix("@").casefold()))
        if exact is not None:
            return [exact]
        if not wanted:
            return []
        return [a for a in self.accounts if a.platform is platform and loose(a.handle) == wanted]

    def on(self, platform: Platform | None) -> list[KnownAccount]:
        return [a for a in self.accounts if platform is None or a.platform is platform]

    def by_id(self, account_id: int) -> KnownAccount | None:
        return next((a for a in self.accounts if a.id == account_id), None)
