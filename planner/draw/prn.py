"""The public hash construction behind every random number of the draw (双随机、一公开).

One rule, recomputable in a few lines of any language:

    key(seed, part1, part2, …) = lowercase hex SHA-256 of the UTF-8 bytes of "seed|part1|part2|…"
    u = int(key, 16) / 2**256                      (a number in [0, 1))

Lower `u` means earlier in the random order. Orders compare the 64-character hex keys as text, which sorts
exactly like the 256-bit integers (no floating-point rounding), with the identifier itself breaking a tie that
SHA-256 will in practice never produce. Python's `random` and numpy's generators are never used: their
streams are implementation details that an auditor cannot reproduce from a specification.
"""
from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

SEPARATOR = "|"
SEED_DIGITS = 20  # like 20 ten-sided dice rolled in public


def prn_key(seed: str, *parts: str) -> str:
    """Hex SHA-256 of 'seed|part1|part2|…' (UTF-8): the sort key of one random number."""
    text = SEPARATOR.join((seed, *parts))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def prn(seed: str, *parts: str) -> float:
    """The same number read as a fraction in [0, 1), for display and for people checking by hand."""
    return int(prn_key(seed, *parts), 16) / 2**256


def business_key(seed: str, credit_code: str) -> str:
    """Permanent random number of a business, shared by every item (the coordinated draw)."""
    return prn_key(seed, credit_code)


def item_business_key(seed: str, item_id: str, credit_code: str) -> str:
    """Independent random number per item: the uncoordinated baseline."""
    return prn_key(seed, item_id, credit_code)


def business_digest(seed: str, credit_code: str) -> bytes:
    """business_key as the raw 32-byte digest, which sorts exactly like its hex text (for array sorts)."""
    return hashlib.sha256(f"{seed}{SEPARATOR}{credit_code}".encode()).digest()


def item_business_digest(seed: str, item_id: str, credit_code: str) -> bytes:
    """item_business_key as the raw 32-byte digest."""
    return hashlib.sha256(SEPARATOR.join((seed, item_id, credit_code)).encode("utf-8")).digest()


def inspector_key(seed: str, credit_code: str, dept_id: str, inspector_id: str) -> str:
    """Random number of an officer for one visit of one department."""
    return prn_key(seed, credit_code, dept_id, inspector_id)


def keyer(seed: str, *parts: str):
    """Fast form of prn_key for many last parts under one prefix: part -> raw 32-byte digest.

    Raw digests sort exactly like their hex text, so orders are the same as with prn_key; hashing the shared
    prefix once and copying the state saves re-hashing it for each officer of a department.
    """
    prefix = hashlib.sha256(SEPARATOR.join((seed, *parts, "")).encode("utf-8"))

    def key(last: str) -> bytes:
        state = prefix.copy()
        state.update(last.encode("utf-8"))
        return state.digest()

    return key


def random_order(codes: Iterable[str], key: dict[str, str]) -> list[str]:
    """`codes` by increasing random number (ties, never seen in practice, by the code itself)."""
    return [code for _, code in sorted([(key[code], code) for code in codes])]


def frame_digest(codes: Iterable[str]) -> str:
    """SHA-256 of the frame's credit codes sorted as text, one per line ('\\n' between, none at the end)."""
    return hashlib.sha256("\n".join(sorted(codes)).encode("utf-8")).hexdigest()


def new_seed() -> str:
    """A fresh public seed: 20 decimal digits from the operating system's secure generator."""
    return str(secrets.randbelow(10**SEED_DIGITS)).zfill(SEED_DIGITS)


@dataclass(frozen=True, slots=True)
class Seed:
    value: str
    generated: bool  # no seed was given: a fresh one was made, and must be recorded and published


def choose_seed(*candidates: object) -> Seed:
    """The seed of a draw: the first candidate given, in the caller's order of precedence (an explicit seed,
    the previous plan's — a re-plan keeps its draw —, settings.toml's), else a fresh public one."""
    for candidate in candidates:
        text = str(candidate).strip() if candidate is not None else ""
        if text:
            return Seed(text, False)
    return Seed(new_seed(), True)
