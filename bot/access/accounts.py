"""Which account someone means: `platform:handle`, an unambiguous prefix, or "did you mean"."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from bot.access.rules import Reason


@dataclass(frozen=True)
class AccountRef:
    id: int
    platform: str
    handle: str
    active: bool = True

    @property
    def key(self) -> str:
        return f"{self.platform}:{self.handle}"


@dataclass(frozen=True)
class Resolution:
    account: AccountRef | None
    reason: Reason = Reason.OK
    candidates: tuple[str, ...] = ()  # the matches (ambiguous) or suggestions (unknown)


def resolve_account(text: str, accounts: list[AccountRef]) -> Resolution:
    wanted = text.strip().removeprefix("@").casefold()
    wanted = wanted.replace(":@", ":")
    if not wanted:
        return Resolution(None, Reason.UNKNOWN_ACCOUNT)
    exact = [a for a in accounts if a.key.casefold() == wanted]
    if exact:
        account = exact[0]
        return Resolution(account, Reason.OK if account.active else Reason.ACCOUNT_RETIRED)
    active = [a for a in accounts if a.active]
    matches = [
        a
        for a in active
        if a.key.casefold().startswith(wanted)
        or (":" not in wanted and a.handle.casefold().startswith(wanted))
    ]
    if len(matches) == 1:
        return Resolution(matches[0])
    if matches:
        return Resolution(None, Reason.AMBIGUOUS_ACCOUNT, tuple(sorted(a.key for a in matches)))
    retired = [a for a in accounts if not a.active and a.key.casefold().startswith(wanted)]
    if len(retired) == 1:
        return Resolution(retired[0], Reason.ACCOUNT_RETIRED)
    keys = {a.key.casefold(): a.key for a in active}
    close = difflib.get_close_matches(wanted, list(keys), n=3, cutoff=0.6)
    return Resolution(None, Reason.UNKNOWN_ACCOUNT, tuple(keys[k] for k in close))
