"""Durations, account references, the audit chain, the vault and TOTP: pure, no Slack or DB."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pyotp
import pytest

from bot.access.accounts import AccountRef, resolve_account
from bot.access.audit import GENESIS, AuditEntry, Break, sealed, verify_chain
from bot.access.durations import format_duration, parse_duration
from bot.access.rules import Reason
from bot.access.totp import SeedNotBase32, current_code, normalise_seed
from bot.access.vault import Secret, SecretUnreadable, Vault, VaultKeyError, new_key, parse_keys

NOW = datetime(2027, 1, 15, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30m", timedelta(minutes=30)),
        ("2h", timedelta(hours=2)),
        ("1d", timedelta(days=1)),
        ("1h30m", timedelta(minutes=90)),
        (" 2H ", timedelta(hours=2)),
        ("0m", Reason.DURATION_ZERO),
        ("-2h", Reason.DURATION_NEGATIVE),
        ("3 weeks", Reason.DURATION_MALFORMED),
        ("2", Reason.DURATION_MALFORMED),
        ("", Reason.DURATION_MALFORMED),
        ("9" * 40 + "h", Reason.DURATION_MALFORMED),
        ("2h\x00", Reason.DURATION_MALFORMED),
    ],
)
def test_durations(text: str, expected: object) -> None:
    assert parse_duration(text) == expected


def test_durations_read_back() -> None:
    assert format_duration(timedelta(minutes=150)) == "2h 30m"
    assert format_duration(timedelta(days=1, hours=4)) == "1d 4h"
    assert format_duration(timedelta(seconds=-5)) == "0m"


ACCOUNTS = [
    AccountRef(1, "linkedin", "acme"),
    AccountRef(2, "x", "acme_ceo"),
    AccountRef(3, "x", "acme_news"),
    AccountRef(4, "facebook", "oldpage", active=False),
]


@pytest.mark.parametrize(
    ("text", "account_id", "reason"),
    [
        ("linkedin:acme", 1, Reason.OK),
        ("LinkedIn:@Acme", 1, Reason.OK),
        ("link", 1, Reason.OK),  # an unambiguous prefix
        ("x:acme_c", 2, Reason.OK),
        ("x:acme", None, Reason.AMBIGUOUS_ACCOUNT),
        ("facebook:oldpage", 4, Reason.ACCOUNT_RETIRED),
        ("linkedn:acme", None, Reason.UNKNOWN_ACCOUNT),
        ("", None, Reason.UNKNOWN_ACCOUNT),
    ],
)
def test_account_references(text: str, account_id: int | None, reason: Reason) -> None:
    found = resolve_account(text, ACCOUNTS)
    assert found.reason is reason
    assert (found.account.id if found.account else None) == account_id


def test_a_typo_gets_did_you_mean_and_ambiguity_lists_the_candidates() -> None:
    assert resolve_account("linkedn:acme", ACCOUNTS).candidates == ("linkedin:acme",)
    assert resolve_account("x:acme", ACCOUNTS).candidates == ("x:acme_ceo", "x:acme_news")
    assert "facebook:oldpage" not in resolve_account("facebok:oldpage", ACCOUNTS).candidates


def _chain(n: int) -> list[AuditEntry]:
    entries: list[AuditEntry] = []
    previous = GENESIS
    for seq in range(1, n + 1):
        entry = sealed(
            AuditEntry(
                seq, NOW + timedelta(minutes=seq), "revealed", "U0A", "x:a", seq, "", previous
            )
        )
        entries.append(entry)
        previous = entry.hash
    return entries


def test_an_intact_chain_verifies() -> None:
    assert verify_chain(_chain(5)) == (5, None)
    assert verify_chain([]) == (0, None)


def test_an_altered_entry_is_found() -> None:
    entries = _chain(5)
    entries[2] = replace(entries[2], actor="U0MALLORY")
    _, found = verify_chain(entries)
    assert found is not None and (found.seq, found.kind) == (3, Break.ALTERED)


def test_a_removed_entry_is_found() -> None:
    entries = _chain(5)
    del entries[1]
    _, found = verify_chain(entries)
    assert found is not None and (found.seq, found.kind) == (3, Break.REMOVED)


def test_an_inserted_entry_is_found_even_with_a_valid_hash_of_its_own() -> None:
    entries = _chain(3)
    # A forger renumbers entry 3 to 4 (re-hashing it) and slips their own in as 3.
    forged = sealed(AuditEntry(3, NOW, "granted", "U0MALLORY", "x:a", 9, "", entries[1].hash))
    moved = sealed(replace(entries[2], seq=4))
    _, found = verify_chain([*entries[:2], forged, moved])
    assert found is not None and (found.seq, found.kind) == (4, Break.INSERTED)
    _, found = verify_chain([*entries[:2], entries[2], forged])
    assert found is not None and found.kind is Break.INSERTED


def test_the_vault_round_trips_and_rotates_to_the_newest_key() -> None:
    old, new = new_key(), new_key()
    token = Vault(old).seal(Secret("hunter2", "JBSWY3DPEHPK3PXP", "note"))
    assert "hunter2" not in token
    both = Vault(f"{new},{old}")
    assert both.open(token).password == "hunter2"
    rotated = both.rotate(token)
    assert Vault(new).open(rotated).totp_seed == "JBSWY3DPEHPK3PXP"
    with pytest.raises(SecretUnreadable):
        Vault(new).open(token)


def test_a_secret_never_shows_itself_in_a_repr() -> None:
    assert "hunter2" not in repr(Secret("hunter2", "JBSWY3DPEHPK3PXP"))


@pytest.mark.parametrize("text", ["", " , ", "not-a-key", f"{'A' * 43}=,zzz"])
def test_malformed_keys_are_refused_without_echoing_them(text: str) -> None:
    with pytest.raises(VaultKeyError) as raised:
        parse_keys(text)
    for part in filter(None, (p.strip() for p in text.split(","))):
        assert part not in str(raised.value)


def test_seeds_as_platforms_show_them_are_normalised() -> None:
    assert normalise_seed("jbsw y3dp ehpk 3pxp") == "JBSWY3DPEHPK3PXP"
    assert normalise_seed("JBSW-Y3DP-EHPK-3PXP====") == "JBSWY3DPEHPK3PXP"
    for bad in ("hunter2", "JBSWY3DPEHPK3PX1", "short", "JBSWY3DPEHPK3PXP!"):
        with pytest.raises(SeedNotBase32) as raised:
            normalise_seed(bad)
        assert bad not in str(raised.value)


def test_the_current_code_and_its_seconds_left() -> None:
    at = datetime(2027, 1, 15, 10, 0, 10, tzinfo=UTC)
    seed = "JBSWY3DPEHPK3PXPJBSWY3DP"
    code = current_code(seed, at)
    assert code.code == pyotp.TOTP(seed).at(at)
    assert current_code("JBSWY3DPEHPK3PXP", at).code.isdigit()  # 80-bit seeds work too
    assert code.seconds_left == 20
    assert code.code not in repr(code)
