"""TOTP seeds as platforms show them, and the current code (RFC 6238, via pyotp)."""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from datetime import datetime

import pyotp

_BASE32 = re.compile(r"^[A-Z2-7]+$")


class SeedNotBase32(ValueError):
    """The text is not a base32 TOTP seed. Never carries the text itself."""


def normalise_seed(text: str) -> str:
    """`jbsw y3dp ehpk 3pxp` → `JBSWY3DPEHPK3PXP`; raise SeedNotBase32 if it is not one."""
    seed = re.sub(r"[\s-]", "", text).upper().rstrip("=")
    if len(seed) < 16 or not _BASE32.match(seed):
        raise SeedNotBase32("not a base32 seed")
    try:
        base64.b32decode(seed + "=" * (-len(seed) % 8))
    except (binascii.Error, ValueError):
        raise SeedNotBase32("not a base32 seed") from None
    return seed


@dataclass(frozen=True)
class Code:
    code: str = ""
    seconds_left: int = 0

    def __repr__(self) -> str:
        return f"Code(…, seconds_left={self.seconds_left})"


class _PlatformTOTP(pyotp.TOTP):
    # pyotp asks for 112-bit seeds; the platform chooses, and 80-bit ones are still common.
    min_secret_length_bits = 80


def current_code(seed: str, at: datetime) -> Code:
    totp = _PlatformTOTP(seed)
    seconds_left = totp.interval - int(at.timestamp()) % totp.interval
    return Code(code=totp.at(at), seconds_left=seconds_left)
