"""BSN handling at the door: validate, pseudonymise, and never keep the number itself."""

from __future__ import annotations

import hashlib
import hmac

# Test BSNs (RvIG test range, used by the iStandaarden examples and our demo data).
# Without a key of their own, users may load only files whose BSNs all lie here.
TEST_BSN_RANGE = range(999_900_000, 1_000_000_000)


def passes_elfproef(bsn: str) -> bool:
    """The BSN 11-test: 9*d1 + 8*d2 + ... + 2*d8 - 1*d9 is a multiple of 11 (and not 0)."""
    if len(bsn) != 9 or not bsn.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(bsn, (9, 8, 7, 6, 5, 4, 3, 2, -1), strict=True))
    return total != 0 and total % 11 == 0


def is_test_bsn(bsn: str) -> bool:
    return bsn.isdigit() and int(bsn) in TEST_BSN_RANGE


def pseudonymise(key: bytes, bsn: str) -> str:
    """HMAC-SHA256 of the BSN: stable per key, irreversible without it."""
    return hmac.new(key, bsn.encode(), hashlib.sha256).hexdigest()


_KEY_FINGERPRINT_LABEL = b"sdw-key-fingerprint-v1"


def key_fingerprint(key: bytes) -> str:
    """What the warehouse stores to recognise its key: HMAC-SHA256 of a fixed label under the
    key. It tells keys apart and, like a pseudonym, gives nothing of the key away."""
    return hmac.new(key, _KEY_FINGERPRINT_LABEL, hashlib.sha256).hexdigest()
