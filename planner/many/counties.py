"""The counties of a datasets folder: every entry that holds a dataset, largest first — each dataset once, by its
real path (a link to a county's folder, or two entries resolving to one file, is one county)."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from models.problems import UserError

DATASET_FILES = (".xlsx", ".zip")
TABLE_FILES = (".csv", ".toml")


@dataclass(frozen=True)
class County:
    name: str  # the folder's name or the file's stem: the plan goes to PLANS_DIR/<name>/
    source: Path  # a dataset folder, .xlsx or .zip, as `plan` takes it
    size: int  # bytes of its files: the registry dominates, so this orders counties by the work they bring


@dataclass
class Found:
    counties: list[County]  # largest first (ties by name)
    skipped: list[str]  # entries that hold no dataset
    same: dict[str, list[str]] = field(default_factory=dict)  # county -> other entries that are the same dataset


def find_counties(folder: str | Path) -> Found:
    """Counties of `folder`, largest first, each dataset once: of entries resolving to one real path, the one
    that is not a link (else the first by name) stands for it, and the others are named in `same`."""
    root = Path(folder)
    if not root.is_dir():
        raise UserError(f"找不到数据集文件夹 {root}：请指定存放各县（市、区）数据集的文件夹")
    counties, skipped = [], []
    for entry in sorted(root.iterdir()):
        if entry.name.startswith("."):
            continue
        source = _dataset_in(entry)
        if source is None:
            skipped.append(entry.name)
            continue
        counties.append(County(entry.stem if entry.is_file() else entry.name, source, _size(source)))
    twice = sorted(name for name, n in Counter(c.name for c in counties).items() if n > 1)
    if twice:
        raise UserError(f"{root} 中有同名的数据集：{'、'.join(twice)}（文件夹与 .xlsx/.zip 同名）。"
                        "每个县（市、区）只保留一个")
    if not counties:
        raise UserError(f"{root} 中没有数据集：每个县（市、区）应为一个子文件夹（CSV 与 settings.toml）、"
                        ".xlsx 工作簿或 .zip 压缩包")
    counties, same = _once_each(root, counties)
    return Found(sorted(counties, key=lambda c: (-c.size, c.name)), skipped, same)


def _once_each(root: Path, counties: list[County]) -> tuple[list[County], dict[str, list[str]]]:
    by_real: dict[Path, list[County]] = {}
    for county in counties:
        by_real.setdefault(county.source.resolve(), []).append(county)
    kept, same = [], {}
    for group in by_real.values():
        group.sort(key=lambda c: (_is_link(root, c), c.name))
        kept.append(group[0])
        if len(group) > 1:
            same[group[0].name] = [c.name for c in group[1:]]
    return kept, same


def _is_link(root: Path, county: County) -> bool:
    """Whether the county's entry, or the way to its dataset, goes through a link."""
    return county.source.resolve() != (root.resolve() / county.source.relative_to(root))


def _dataset_in(entry: Path) -> Path | None:
    """The dataset an entry holds: a .xlsx/.zip file, a folder of tables, or a folder with one workbook/zip."""
    if entry.is_file():
        return entry if entry.suffix.lower() in DATASET_FILES else None
    if not entry.is_dir():
        return None
    files = [f for f in entry.iterdir() if f.is_file() and not f.name.startswith(".")]
    if any(f.suffix.lower() in TABLE_FILES for f in files):
        return entry
    packed = [f for f in files if f.suffix.lower() in DATASET_FILES]
    return packed[0] if len(packed) == 1 else None


def _size(source: Path) -> int:
    if source.is_file():
        return source.stat().st_size
    return sum(f.stat().st_size for f in source.iterdir() if f.is_file())
