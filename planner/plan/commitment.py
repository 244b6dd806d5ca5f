"""The plan's commitment: a Merkle tree over its visits and its files, chained through every later change.

Recomputable without this tool (docs/commitment.md, with a worked example for `sha256sum`):

    leaf hash   = SHA-256(0x00 ‖ payload),  node = SHA-256(0x01 ‖ left ‖ right)   (RFC 9162's tree hash)
    visit leaf  = payload "visit\\n" + the visit's fields, salted per visit (planner.plan.visit_code)
    state leaf  = payload "state\\n<commitment_(k-1)>\\n<event_k>\\n<files_sha256_k>"
    files_sha256_k = SHA-256 of the lines "<file name>\\t<SHA-256 of the file's bytes>\\n" for every file of the
                   plan folder but names starting with "." (the tool's marker), sorted by name; record.json's line
                   holds the digest of its body, the record without its commitment and chain (record_digest)
    commitment_k = root of the tree over the visit leaves (sorted by their hash) followed by the state leaf

Each link records the leaves it added and removed against the link before (`added_leaves`, `removed_leaves`), so
that anyone holding the public chain (roots and leaves, no event text) can recompute every root and tell a
superseded 检查码 from a valid one. A link is one of: the plan ("plan", seed and period), a re-plan with the
what-if changes it added, an import of results, a 结果公示. Chains written before the Merkle tree (no state leaf)
stay readable: their links are `SHA-256("<previous>\\n<event>\\n<files_sha256>")` and carry no visits.
"""
from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from planner.plan.record import RECORD_FILE

LEAF_PREFIX, NODE_PREFIX = b"\x00", b"\x01"
SALT_KEY_LABEL = "inspection-planner 检查码 salt key v1"
PUBLIC_FORMAT = "inspection-planner commitment chain v1"
RECORD_CHAIN_KEYS = ("commitment", "commitment_chain")  # the part of record.json its digest leaves out


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- the Merkle tree (RFC 9162 §2.1.1: split at the largest power of two below n) ----------------------------

def leaf_hash(payload: bytes) -> str:
    return sha256_hex(LEAF_PREFIX + payload)


def node_hash(left: str, right: str) -> str:
    return sha256_hex(NODE_PREFIX + bytes.fromhex(left) + bytes.fromhex(right))


def _split(n: int) -> int:
    """The largest power of two smaller than n (n ≥ 2)."""
    return 1 << ((n - 1).bit_length() - 1)


def tree_root(leaves: list[str]) -> str:
    """The root over leaf hashes, in order; a lone leaf is its own root (there is always the state leaf)."""
    if len(leaves) == 1:
        return leaves[0]
    k = _split(len(leaves))
    return node_hash(tree_root(leaves[:k]), tree_root(leaves[k:]))


def all_paths(leaves: list[str]) -> list[list[str]]:
    """Every leaf's inclusion path (RFC 9162 §2.1.3.1: the sibling hashes from the leaf up to the root), each
    subtree's root computed once (n log n hashes)."""
    def walk(part: list[str]) -> tuple[str, list[list[str]]]:
        if len(part) == 1:
            return part[0], [[]]
        k = _split(len(part))
        (left, left_paths), (right, right_paths) = walk(part[:k]), walk(part[k:])
        return node_hash(left, right), [p + [right] for p in left_paths] + [p + [left] for p in right_paths]
    return walk(leaves)[1]


def root_from_path(leaf: str, index: int, size: int, path: list[str]) -> str | None:
    """The root that `path` leads to from `leaf` at `index` of a tree of `size` leaves (RFC 9162 §2.1.3.2);
    None when the path cannot belong to such a tree."""
    if not 0 <= index < size:
        return None
    fn, sn, r = index, size - 1, leaf
    for sibling in path:
        if sn == 0:
            return None
        if fn & 1 or fn == sn:
            r = node_hash(sibling, r)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, sibling)
        fn, sn = fn >> 1, sn >> 1
    return r if sn == 0 else None


def ordered_leaves(visit_leaves, state_leaf: str) -> list[str]:
    """The tree's leaves: the visits' by their hash (so the public chain needs no visit ids), then the state."""
    return [*sorted(visit_leaves), state_leaf]


# --- salts -------------------------------------------------------------------------------------------------

def salt_key_for(seed: str, files: dict[str, bytes]) -> str:
    """The plan's secret salt key, derived once at its first Merkle link from the seed and that plan's own
    confidential schedule (assignments.csv: every visit, day and officer). Whoever can compute it already holds
    the schedule (or the exact inputs to make it again); the public notice's input digests do not suffice."""
    key = hashlib.sha256(files.get("assignments.csv", b"")).digest()
    return hmac.new(key, f"{SALT_KEY_LABEL}\n{seed}".encode(), hashlib.sha256).hexdigest()


def salt_of(salt_key: str, label: str, visit_id: str) -> str:
    """A visit's 128-bit salt (label "salt") or date salt (label "date"): the same in every version of the plan."""
    return hmac.new(bytes.fromhex(salt_key), f"{label}\n{visit_id}".encode(), hashlib.sha256).hexdigest()[:32]


# --- the files -----------------------------------------------------------------------------------------------

def committed(files: dict[str, bytes]) -> dict[str, str]:
    """The committed files' own digests: every file but the names starting with "." — record.json by its body
    (record_digest), since the file also holds the chain that commits to it."""
    return {name: record_digest(data) if name == RECORD_FILE else sha256_hex(data)
            for name, data in sorted(files.items()) if not name.startswith(".")}


def record_digest(data: bytes) -> str:
    """SHA-256 of record.json's body (record_body) as canonical JSON (keys sorted, no spaces, UTF-8): every
    field — metrics, solver figures, parameters — is committed but the chain itself and the measured time."""
    try:
        body = record_body(json.loads(data))
    except ValueError:  # UnicodeDecodeError included: not a record, its bytes are what is committed
        return sha256_hex(data)
    return sha256_hex(json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode())


def record_body(record):
    """record.json without its `commitment`, `commitment_chain` and `solver.wall_s` (measured: the one value that
    differs between identical runs, so that the same inputs give the same commitment)."""
    if not isinstance(record, dict):
        return record
    body = {key: value for key, value in record.items() if key not in RECORD_CHAIN_KEYS}
    if isinstance(body.get("solver"), dict):
        body["solver"] = {key: value for key, value in body["solver"].items() if key != "wall_s"}
    return body


def digest_of(file_digests: dict[str, str]) -> str:
    """SHA-256 over one line per committed file: name, a tab, the file's SHA-256."""
    return sha256_hex("".join(f"{name}\t{digest}\n" for name, digest in sorted(file_digests.items())).encode("utf-8"))


def folder_files(folder: str | Path) -> dict[str, bytes]:
    """The files of a plan folder as they are now (sub-folders are no part of a plan)."""
    return {p.name: p.read_bytes() for p in sorted(Path(folder).iterdir()) if p.is_file()}


# --- links -------------------------------------------------------------------------------------------------

def state_leaf(previous: str, event: str, files_sha256: str) -> str:
    return leaf_hash(f"state\n{previous}\n{event}\n{files_sha256}".encode())


def legacy_link_value(previous: str, event: str, digest: str) -> str:
    """A link of a chain written before the Merkle tree."""
    return sha256_hex(f"{previous}\n{event}\n{digest}".encode())  # UTF-8


def is_merkle(link: dict) -> bool:
    return "state_leaf" in link


def plan_event(seed: str, period: str, changes: Sequence[str] = (), today: date | None = None) -> str:
    """A first plan: its seed and period (and today, when it knew it), then each what-if change on its own line."""
    return "\n".join([f"plan seed={seed} period={period}" + (f" today={today.isoformat()}" if today else ""),
                      *changes])


def replan_event(new_changes: list[str], today: date | None = None) -> str:
    return "\n".join(["replan" + (f" today={today.isoformat()}" if today else ""), *new_changes])


@dataclass(frozen=True)
class Event:
    """A link's event read back: its kind, its `key=value` words (seed, period, today), the changes it added."""
    kind: str
    words: dict[str, str]
    changes: tuple[str, ...]

    @property
    def solves(self) -> bool:
        """A plan or a re-plan: the links whose schedule the solver made."""
        return self.kind in ("plan", "replan")

    @property
    def today(self) -> date | None:
        try:
            return date.fromisoformat(self.words["today"]) if "today" in self.words else None
        except ValueError:
            return None


def parse_event(event: str) -> Event:
    first, *rest = event.split("\n")
    kind, *words = first.split(" ")
    pairs = dict(word.partition("=")[::2] for word in words if "=" in word)
    return Event(kind, pairs, tuple(rest) if kind in ("plan", "replan") else ())


def results_event(digests: list[str]) -> str:
    """An import of results: the SHA-256 of every file it took, in the order given."""
    return " ".join(["results", *digests])


def publication_event(day: date, digest: str) -> str:
    """结果公示: the day and the SHA-256 of the publicity list (抽查结果公示.csv) the results went out on."""
    return f"publish {day.isoformat()} {digest}"


def event_kind(event: str) -> str:
    """plan | replan | results | publish: the only part of an event the public chain shows."""
    return event.split("\n")[0].split(" ")[0]


def extend(chain: list[dict], event: str, files: dict[str, bytes], leaves: set[str] | None = None) -> list[dict]:
    """The chain with one more link for `event` and the folder's files after it. Without record.json among
    `files` (an import of results, a 公示: the record's body stays as it was), the last link's record digest is
    carried over.

    `leaves` (the visits' leaf hashes) makes a Merkle link; without them the link keeps the visits of the last
    link (an import of results, a 公示), or — after a chain of the earlier kind — stays of that kind."""
    previous = chain[-1]["commitment"] if chain else ""
    file_digests = committed(files)
    carried = chain[-1].get("files", {}) if chain else {}
    if RECORD_FILE not in file_digests and isinstance(carried, dict) and RECORD_FILE in carried:
        file_digests = dict(sorted({**file_digests, RECORD_FILE: carried[RECORD_FILE]}.items()))  # results, 公示
    digest = digest_of(file_digests)
    if leaves is None and not (chain and is_merkle(chain[-1])):
        link = {"event": event, "files_sha256": digest, "commitment": legacy_link_value(previous, event, digest),
                "files": file_digests}
        return [*chain, link]
    before = (leaf_sets(chain)[-1] if chain and is_merkle(chain[-1]) else None) or set()
    now = before if leaves is None else set(leaves)
    state = state_leaf(previous, event, digest)
    link = {"event": event, "files_sha256": digest, "state_leaf": state,
            "added_leaves": sorted(now - before), "removed_leaves": sorted(before - now),
            "commitment": tree_root(ordered_leaves(now, state)), "files": file_digests}
    return [*chain, link]


def leaf_sets(chain: list[dict]) -> list[set[str] | None]:
    """The visits' leaves of every link (None for a link of the earlier kind), replayed from the first."""
    out: list[set[str] | None] = []
    current: set[str] = set()
    for link in chain:
        if not is_merkle(link):
            out.append(None)
            continue
        current = (current - set(link.get("removed_leaves", []))) | set(link.get("added_leaves", []))
        out.append(set(current))
    return out


def broken_links(chain: list[dict], public: bool = False) -> list[int]:
    """Positions (1-based) of links whose commitment does not follow from the one before, their event, files and
    leaves — or that are of the earlier kind after a Merkle link. A `public` chain has no event text: its
    Merkle links are checked against their leaves only, its links of the earlier kind not at all."""
    previous, broken, seen_merkle = "", [], False
    current: set[str] = set()
    for k, link in enumerate(chain, start=1):
        event, digest = str(link.get("event", "")), str(link.get("files_sha256", ""))
        if is_merkle(link):
            seen_merkle = True
            removed, added = set(_hexes(link.get("removed_leaves"))), set(_hexes(link.get("added_leaves")))
            sound = removed <= current and not added & (current - removed) and \
                (public or link.get("state_leaf") == state_leaf(previous, event, digest))
            current = (current - removed) | added
            sound = sound and link.get("commitment") == tree_root(ordered_leaves(current, str(link["state_leaf"])))
        else:
            sound = public or (not seen_merkle and link.get("commitment") == legacy_link_value(previous, event, digest))
        if not sound:
            broken.append(k)
        previous = str(link.get("commitment", ""))
    return broken


def _hexes(value) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else ["<not a list>"]


# --- the public chain (公示/承诺链.json): roots and leaves, no event text ---------------------------------------

def public_chain(period: str, chain: list[dict]) -> dict:
    """What anyone may hold: per link its kind, root and — for Merkle links — the state leaf and the leaves it
    added and removed (salted hashes: they reveal nothing of any visit)."""
    links = []
    for link in chain:
        entry = {"kind": event_kind(str(link.get("event", ""))), "commitment": link.get("commitment", "")}
        if is_merkle(link):
            entry |= {"state_leaf": link["state_leaf"], "added_leaves": list(link.get("added_leaves", [])),
                      "removed_leaves": list(link.get("removed_leaves", []))}
        links.append(entry)
    return {"format": PUBLIC_FORMAT, "period": period, "links": links}
