"""The plan's commitment: a SHA-256 digest over its files, chained through every later change.

Recomputable in a few lines without this tool (docs/commitment.md):

    files_sha256 = SHA-256 of the lines  "<file name>\\t<SHA-256 of the file's bytes>\\n"  for every file of the
                   plan folder except record.json and names starting with "." (the tool's marker), sorted by name
    commitment_k = SHA-256 of  "<commitment_(k-1)>\\n<event_k>\\n<files_sha256_k>"   (commitment_0 = "")

The first event is the plan itself ("plan", seed and period); each later one is a re-plan with the what-if
changes it added, an import of results, or a 结果公示 (results put on the publicity list). The public notice
prints the commitment; it reveals nothing. Each link also lists its files' own digests (`files`), so that
`verify` can name the file that changed.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from planner.plan.record import RECORD_FILE


@dataclass(frozen=True, slots=True)
class Link:
    event: str
    files_sha256: str
    commitment: str
    files: dict[str, str] = field(default_factory=dict)  # file name -> its SHA-256: informative, not chained

    def to_json(self) -> dict:
        return {"event": self.event, "files_sha256": self.files_sha256, "commitment": self.commitment,
                "files": dict(self.files)}


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def committed(files: dict[str, bytes]) -> dict[str, str]:
    """The committed files' own digests: every file but record.json and the names starting with "."."""
    return {name: sha256_hex(data) for name, data in sorted(files.items())
            if name != RECORD_FILE and not name.startswith(".")}


def files_digest(files: dict[str, bytes]) -> str:
    """SHA-256 over one line per committed file: name, a tab, the file's SHA-256."""
    return digest_of(committed(files))


def digest_of(file_digests: dict[str, str]) -> str:
    return sha256_hex("".join(f"{name}\t{digest}\n" for name, digest in sorted(file_digests.items())).encode("utf-8"))


def folder_files(folder: str | Path) -> dict[str, bytes]:
    """The files of a plan folder as they are now (sub-folders are no part of a plan)."""
    return {p.name: p.read_bytes() for p in sorted(Path(folder).iterdir()) if p.is_file()}


def link_value(previous: str, event: str, digest: str) -> str:
    return sha256_hex(f"{previous}\n{event}\n{digest}".encode())  # UTF-8


def next_link(previous: str, event: str, files: dict[str, bytes]) -> Link:
    file_digests = committed(files)
    digest = digest_of(file_digests)
    return Link(event, digest, link_value(previous, event, digest), file_digests)


def plan_event(seed: str, period: str) -> str:
    return f"plan seed={seed} period={period}"


def replan_event(new_changes: list[str], today: date | None = None) -> str:
    return "\n".join(["replan" + (f" today={today.isoformat()}" if today else ""), *new_changes])


def results_event(digests: list[str]) -> str:
    """An import of results: the SHA-256 of every file it took, in the order given."""
    return " ".join(["results", *digests])


def publication_event(day: date, digest: str) -> str:
    """结果公示: the day and the SHA-256 of the publicity list (抽查结果公示.csv) the results went out on."""
    return f"publish {day.isoformat()} {digest}"


def extend(chain: list[dict], event: str, files: dict[str, bytes]) -> list[dict]:
    """The chain with one more link for `event` and the folder's files after it."""
    previous = chain[-1]["commitment"] if chain else ""
    return [*chain, next_link(previous, event, files).to_json()]


def broken_links(chain: list[dict]) -> list[int]:
    """Positions (1-based) of links whose commitment does not follow from the one before, their event and files."""
    previous, broken = "", []
    for k, link in enumerate(chain, start=1):
        if link.get("commitment") != link_value(previous, str(link.get("event", "")), str(link.get("files_sha256", ""))):
            broken.append(k)
        previous = str(link.get("commitment", ""))
    return broken
