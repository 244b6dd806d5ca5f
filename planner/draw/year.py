"""年度抽查计划: the year's draw by yearly ratios, and each quarter's share of it (ratio_basis = "year").

One permanent random number per business for the whole year, from the year's public seed: `key(year_seed,
credit_code)` (prn.business_key). Per stratum (item × credit class) the annual plan fixes

- the frame at the start of the year, in the order of those numbers;
- the yearly sample size `n = per_year × ⌈ratio × N⌉` (per_year: the class's checks a year, default 1);
- its split over the four quarters, as even as integers allow (the first quarters take the remainder);
- each quarter's slice, by rotation: quarter q starts at the number (q − 1)/4 — the same point for every item,
  so the items' slices still overlap as much as they can (the coordinated draw) — and walks the order
  cyclically, taking the next businesses not yet taken `per_year` times this year and not yet this quarter.

So the quarters of one year draw disjoint businesses for an item (per_year = 1) and together exactly its yearly
sample. A quarter draws its slice from its own frame (the registry and the yearly cap as they are then): a
business of the slice that has left the frame since (closed, exempt, at the cap) is not drawn and not replaced.
docs/draw.md has the worked example to re-derive by hand.
"""
from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from models.dataset import Dataset
from models.period import Period
from models.problems import UserError
from models.records import RISK_LEVELS
from planner.draw import prn
from planner.draw.frames import Registry, sample_size
from planner.draw.model import Frame
from planner.output import csv_bytes

YEAR_METHOD = "prn-sha256-rotation-v1"
QUARTERS = 4
PLAN_FILE, FRAMES_FILE, RECORD_FILE = "年度抽查计划.csv", "annual_frames.csv", "annual.json"
PLAN_COLUMNS = ["item_id", "dept_id", "co_dept_ids", "risk_level", "ratio", "per_year", "frame_size", "yearly_size",
                "q1", "q2", "q3", "q4", "frame_sha256"]
FRAME_COLUMNS = ["item_id", "risk_level", "rank", "credit_code", "quarters"]


@dataclass(frozen=True, slots=True)
class AnnualStratum:
    """One item × credit class of the annual plan."""
    item_id: str
    dept_id: str
    co_dept_ids: tuple[str, ...]  # the departments joining the item's visits (配合部门)
    risk_level: str
    ratio: float
    per_year: int
    codes: tuple[str, ...]  # the year's frame, by the year's random numbers
    yearly_size: int
    split: tuple[int, ...]  # per quarter
    slices: tuple[tuple[str, ...], ...]  # per quarter: the businesses it draws, in its own order

    @property
    def frame_size(self) -> int:
        return len(self.codes)

    @property
    def sha256(self) -> str:
        return prn.frame_digest(self.codes)


@dataclass
class AnnualPlan:
    year: int
    seed: str
    strata: list[AnnualStratum]  # by item, class
    inputs_sha256: dict[str, str]

    def quarter_share(self, quarter: int) -> QuarterShare:
        return QuarterShare(self.year, quarter, self.seed, digest_of(annual_files(self)),
                            {(s.item_id, s.risk_level): s.slices[quarter - 1] for s in self.strata
                             if s.slices[quarter - 1]})


@dataclass(frozen=True)
class QuarterShare:
    """What a quarter draws under ratio_basis = "year": its slice of every stratum (recorded in record.json)."""
    year: int
    quarter: int
    seed: str  # the year's public seed
    annual_sha256: str  # the annual plan's files (digest_of), what verify checks the quarter against
    slices: dict[tuple[str, str], tuple[str, ...]]

    def to_json(self) -> dict:
        return {"year": self.year, "quarter": self.quarter, "seed": self.seed, "annual_sha256": self.annual_sha256,
                "method": YEAR_METHOD, "slices": {f"{i}|{r}": list(codes) for (i, r), codes in sorted(self.slices.items())}}

    @classmethod
    def from_json(cls, data: dict, where: str = "record.json") -> QuarterShare:
        try:
            slices = {tuple(key.split("|", 1)): tuple(codes) for key, codes in data["slices"].items()}
            return cls(int(data["year"]), int(data["quarter"]), str(data["seed"]), str(data["annual_sha256"]), slices)
        except (AttributeError, KeyError, TypeError, ValueError) as error:
            raise UserError(f"{where} 的 annual（年度抽查计划的本季度份额）格式不对（{error}）；请恢复程序生成的原文件") from None


# --- the annual plan ----------------------------------------------------------------------------------

def quarter_split(total: int) -> tuple[int, ...]:
    """`total` over the quarters as even as integers allow, the first quarters taking the remainder."""
    base, extra = divmod(total, QUARTERS)
    return tuple(base + (q < extra) for q in range(QUARTERS))


SPACE = 2**256  # the random numbers are 256-bit: u = key / 2^256


def quarter_start(quarter: int) -> int:
    """Where quarter q's rotation group starts: u = (q − 1)/4, as a 256-bit number."""
    return (quarter - 1) * SPACE // QUARTERS


def quarter_order(seed: str, quarter: int):
    """The order in which quarter q takes a stratum's businesses: first its own rotation group (u from (q − 1)/4
    up to q/4) upwards — the same start for every item, so their slices overlap as today's coordinated draw
    does — then every other business downwards from (q − 1)/4 (cyclically): what a quarter needs beyond its
    group comes from the ends of the groups, where only the largest samples reach, not from the starts where
    every item's next quarter begins."""
    low, high = quarter_start(quarter), quarter_start(quarter + 1)

    def key(code: str) -> tuple[int, int, str]:
        number = int(prn.business_key(seed, code), 16)
        if low <= number < high:
            return 0, number, code
        return 1, (low - number) % SPACE, code
    return key


def rotation_slices(codes: tuple[str, ...], seed: str, split: tuple[int, ...], per_year: int):
    """Per quarter, its businesses: along quarter_order, the next ones taken fewer than `per_year` times this
    year (each at most once a quarter)."""
    taken = dict.fromkeys(codes, 0)
    slices = []
    for quarter, size in enumerate(split, start=1):
        mine: list[str] = []
        for code in sorted(codes, key=quarter_order(seed, quarter)) if size else ():
            if len(mine) == size:
                break
            if taken[code] < per_year:
                mine.append(code)
                taken[code] += 1
        slices.append(tuple(mine))
    return tuple(slices)


def year_dataset(dataset: Dataset, year: int) -> Dataset:
    """The dataset as of the whole year: exemptions judged through 31 December, the year's checks (history)."""
    period = Period.between(date(year, 1, 1), date(year, 12, 31))
    return replace(dataset, settings=replace(dataset.settings, period=period))


def build_annual_plan(dataset: Dataset, year: int, seed: str) -> AnnualPlan:
    """Frames of the year, yearly sizes, their quarterly split and each quarter's slice, from the year's seed."""
    yearly = year_dataset(dataset, year)
    registry = Registry(yearly)
    strata = []
    for item in sorted(yearly.items, key=lambda i: i.item_id):
        for risk_level in RISK_LEVELS:
            found = registry.codes[registry.frame(item, risk_level)].tolist()
            codes = tuple(code for _, code in sorted((prn.business_key(seed, code), code) for code in found))
            per_year = item_per_year(item, risk_level)
            size = per_year * sample_size(item.ratios.get(risk_level, 0.0), len(codes))
            split = quarter_split(size)
            strata.append(AnnualStratum(item.item_id, item.dept_id, tuple(getattr(item, "co_dept_ids", ())),
                                        risk_level, item.ratios.get(risk_level, 0.0), per_year, codes, size, split,
                                        rotation_slices(codes, seed, split, per_year)))
    return AnnualPlan(year, seed, strata, dict(sorted(dataset.inputs_sha256.items())))


def item_per_year(item, risk_level: str) -> int:
    """Checks a year per business of the class (the item's stated frequency; once when not stated)."""
    return item.yearly_frequency(risk_level)


# --- a quarter's frames ------------------------------------------------------------------------------

def share_frames(dataset: Dataset, share: QuarterShare) -> list[Frame]:
    """The quarter's frames (its registry and cap as they are now): its slice first — the sample — then the
    rest of the frame from the quarter's starting point along the year's order; a stratum the annual plan does
    not know draws nothing."""
    registry = Registry(dataset)
    order = quarter_order(share.seed, share.quarter)
    frames = []
    for item in sorted(dataset.items, key=lambda i: i.item_id):
        for risk_level in RISK_LEVELS:
            codes = registry.codes[registry.frame(item, risk_level)].tolist()
            present = set(codes)
            sample = [code for code in share.slices.get((item.item_id, risk_level), ()) if code in present]
            chosen = set(sample)
            rest = sorted((code for code in codes if code not in chosen), key=order)
            frames.append(Frame(item.item_id, item.dept_id, risk_level, len(sample), prn.frame_digest(codes),
                                tuple(sample + rest)))
    return frames


def left_the_frame(dataset: Dataset, share: QuarterShare) -> dict[tuple[str, str], list[str]]:
    """Per stratum, the businesses of the quarter's slice no longer in its frame (not drawn, not replaced)."""
    registry = Registry(dataset)
    out = {}
    for item in sorted(dataset.items, key=lambda i: i.item_id):
        for risk_level in RISK_LEVELS:
            present = set(registry.codes[registry.frame(item, risk_level)].tolist())
            gone = [c for c in share.slices.get((item.item_id, risk_level), ()) if c not in present]
            if gone:
                out[item.item_id, risk_level] = gone
    return out


# --- files ---------------------------------------------------------------------------------------------

def annual_files(plan: AnnualPlan) -> dict[str, bytes]:
    """年度抽查计划.csv (per stratum), annual_frames.csv (every business of every frame, its rank and quarters)."""
    rows = [[s.item_id, s.dept_id, ";".join(s.co_dept_ids), s.risk_level, repr(float(s.ratio)), s.per_year,
             s.frame_size, s.yearly_size, *s.split, s.sha256] for s in plan.strata]
    frame_rows = []
    for s in plan.strata:
        quarters: dict[str, list[str]] = {}
        for q, codes in enumerate(s.slices, start=1):
            for code in codes:
                quarters.setdefault(code, []).append(str(q))
        frame_rows += [[s.item_id, s.risk_level, rank, code, ";".join(quarters.get(code, []))]
                       for rank, code in enumerate(s.codes, start=1)]
    return {PLAN_FILE: csv_bytes(PLAN_COLUMNS, rows), FRAMES_FILE: csv_bytes(FRAME_COLUMNS, frame_rows)}


def digest_of(files: dict[str, bytes]) -> str:
    """SHA-256 over 'name sha256' lines of the annual plan's files, by name."""
    lines = "\n".join(f"{name} {hashlib.sha256(data).hexdigest()}" for name, data in sorted(files.items()))
    return hashlib.sha256(lines.encode("utf-8")).hexdigest()


def annual_record(plan: AnnualPlan, files: dict[str, bytes]) -> dict:
    return {"year": plan.year, "seed": plan.seed, "method": YEAR_METHOD, "inputs_sha256": plan.inputs_sha256,
            "files_sha256": {name: hashlib.sha256(data).hexdigest() for name, data in sorted(files.items())},
            "annual_sha256": digest_of(files),
            "strata": sum(1 for s in plan.strata if s.yearly_size), "yearly_pairs": sum(s.yearly_size for s in plan.strata)}


def annual_record_bytes(record: dict) -> bytes:
    return (json.dumps(record, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


def read_quarter_share(folder: str | Path, period: Period) -> QuarterShare:
    """The quarter's share of the annual plan in `folder` (plan-year's output), checked against its record."""
    folder = Path(folder)
    path = folder / RECORD_FILE
    if not path.is_file():
        raise UserError(f"{folder} 不是年度抽查计划文件夹（缺少 {RECORD_FILE}）；请指定 plan-year 生成的文件夹")
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        files = {name: (folder / name).read_bytes() for name in (PLAN_FILE, FRAMES_FILE)}
    except (OSError, ValueError) as error:
        raise UserError(f"年度抽查计划 {folder} 无法读取（{error}）；请用 plan-year 重新生成") from None
    if not isinstance(record, dict) or record.get("annual_sha256") != digest_of(files):
        raise UserError(f"年度抽查计划 {folder} 的文件与 {RECORD_FILE} 记录的摘要不符（文件被改动？）；请恢复原文件")
    if period.quarter is None or record.get("year") != period.year:
        raise UserError(f"本期 {period} 不是年度抽查计划 {record.get('year')} 年的一个季度")
    slices: dict[tuple[str, str], list[str]] = {}
    with (folder / FRAMES_FILE).open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if str(period.quarter) in row["quarters"].split(";"):
                slices.setdefault((row["item_id"], row["risk_level"]), []).append(row["credit_code"])
    seed = str(record["seed"])
    order = quarter_order(seed, period.quarter)  # the slice's own order
    ordered = {key: tuple(sorted(codes, key=order)) for key, codes in slices.items()}
    return QuarterShare(period.year, period.quarter, seed, record["annual_sha256"], ordered)
