"""评价码: the short code on a visit's 检查通知书 with which its business rates the visit (planner.store.ratings).

Ten base32 characters (RFC 4648: letters and 2–7, so a 0, 1 or 8 typed is read as O, I or B), as `ABCDE-FGHIJ`:
the first 50 bits of HMAC-SHA256(salt_key, "rating\\n<visit_id>"), the plan's secret salt key of
docs/commitment.md under a label of its own. The same in every version of the plan, like the visit's salts; a
business holding its notice holds its code, and nobody can make another visit's code without the plan's secret.
"""
from __future__ import annotations

import base64
import unicodedata

from planner.plan.commitment import salt_of

LABEL = "rating"
LENGTH = 10
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
MISTAKEN = str.maketrans("018", "OIB")


def rating_code(salt_key: str, visit_id: str) -> str:
    bits = base64.b32encode(bytes.fromhex(salt_of(salt_key, LABEL, visit_id))).decode()[:LENGTH]
    return f"{bits[:5]}-{bits[5:]}"


def normalise_rating_code(text: str) -> str:
    """A code as typed (full-width, lower case, spaces or dashes anywhere, 0/1/8 for O/I/B) in its written form;
    "" when it cannot be one."""
    plain = "".join(ch for ch in unicodedata.normalize("NFKC", text).upper() if ch.isalnum()).translate(MISTAKEN)
    if len(plain) != LENGTH or any(ch not in ALPHABET for ch in plain):
        return ""
    return f"{plain[:5]}-{plain[5:]}"
