"""Secrets at rest: Fernet (AES-128-CBC + HMAC-SHA256) under a MultiFernet of VAULT_KEYS.

The newest key (first) encrypts; every listed key decrypts, so keys rotate without downtime:
put a new key first, run `vault rotate-key`, then drop the old one."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from cryptography.fernet import Fernet, InvalidToken, MultiFernet


class VaultKeyError(ValueError):
    """VAULT_KEYS is malformed. The message never contains a key."""


class SecretUnreadable(Exception):
    """A stored secret could not be decrypted with any configured key."""


@dataclass(frozen=True)
class Secret:
    password: str = field(repr=False)
    totp_seed: str = field(default="", repr=False)
    notes: str = field(default="", repr=False)

    def __repr__(self) -> str:
        return "Secret(…)"


def new_key() -> str:
    return Fernet.generate_key().decode()


def parse_keys(text: str) -> list[Fernet]:
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if not parts:
        raise VaultKeyError("it holds no key; run `python -m bot vault new-key`")
    keys: list[Fernet] = []
    for index, part in enumerate(parts, start=1):
        try:
            keys.append(Fernet(part.encode()))
        except (ValueError, TypeError):
            raise VaultKeyError(
                f"key {index} of {len(parts)} is not a Fernet key (44 characters of url-safe "
                "base64); `python -m bot vault new-key` prints one"
            ) from None
    return keys


class Vault:
    def __init__(self, keys_text: str) -> None:
        self._fernet = MultiFernet(parse_keys(keys_text))

    def seal(self, secret: Secret) -> str:
        data = {"password": secret.password, "totp": secret.totp_seed, "notes": secret.notes}
        return self._fernet.encrypt(json.dumps(data).encode()).decode()

    def open(self, token: str) -> Secret:
        try:
            data = json.loads(self._fernet.decrypt(token.encode()))
        except InvalidToken:
            raise SecretUnreadable("no configured VAULT_KEYS key decrypts this secret") from None
        return Secret(password=data["password"], totp_seed=data["totp"], notes=data["notes"])

    def rotate(self, token: str) -> str:
        """The same secret, encrypted under the newest key."""
        try:
            return self._fernet.rotate(token.encode()).decode()
        except InvalidToken:
            raise SecretUnreadable("no configured VAULT_KEYS key decrypts this secret") from None
