"""The draw's files (draw.csv, inspector_orders.csv, frames.csv) and its part of record.json."""
from __future__ import annotations

import csv
import hashlib
from dataclasses import asdict, dataclass, field
from pathlib import Path

from models.problems import UserError
from planner.draw import DRAW_METHOD
from planner.draw.model import Draw, DrawnPair, Frame
from planner.output import csv_bytes, package_version

DRAW_COLUMNS = ["item_id", "dept_id", "credit_code", "risk_level", "frame_size", "sample_size", "rank"]
ORDER_COLUMNS = ["credit_code", "dept_id", "rank", "inspector_id", "zone_id", "shortlisted"]
FRAME_COLUMNS = ["item_id", "risk_level", "credit_code"]
DRAW_FILES = ("draw.csv", "inspector_orders.csv", "frames.csv")


def read_draw(folder) -> list[DrawnPair]:
    """draw.csv of a plan folder, checked enough to name what is wrong with it."""
    path = Path(folder) / "draw.csv"
    if not path.exists():
        raise UserError(f"方案文件夹 {folder} 中没有 draw.csv（抽取结果）")
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        missing = [c for c in DRAW_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise UserError(f"draw.csv 缺少列：{', '.join(missing)}")
        try:
            return [DrawnPair(r["item_id"], r["dept_id"], r["credit_code"], r["risk_level"], int(r["frame_size"]),
                              int(r["sample_size"]), int(r["rank"])) for r in reader]
        except ValueError as error:
            raise UserError(f"draw.csv 第{reader.line_num}行的数字列无法读取：{error}") from None


def draw_rows(draw: Draw) -> list[list]:
    return [[p.item_id, p.dept_id, p.credit_code, p.risk_level, p.frame_size, p.sample_size, p.rank]
            for p in draw.pairs]


def order_rows(draw: Draw) -> list[tuple]:
    zone = draw.inspector_zone
    rows = []
    for key in sorted(draw.orders):
        code, dept_id = key
        chosen = set(draw.shortlists[key])
        rows += [(code, dept_id, rank, officer, zone.get(officer, ""), "true" if officer in chosen else "false")
                 for rank, officer in enumerate(draw.orders[key], start=1)]
    return rows


def frame_rows(draw: Draw) -> list[tuple]:
    """The published frames (一公开): every eligible business of every (item, risk class), codes sorted."""
    return [(f.item_id, f.risk_level, code) for f in draw.frames for code in sorted(f.codes)]


def draw_files(draw: Draw) -> dict[str, bytes]:
    """draw.csv, inspector_orders.csv and frames.csv, byte-identical for the same inputs and seed."""
    return {"draw.csv": csv_bytes(DRAW_COLUMNS, draw_rows(draw)),
            "inspector_orders.csv": csv_bytes(ORDER_COLUMNS, order_rows(draw)),
            "frames.csv": csv_bytes(FRAME_COLUMNS, frame_rows(draw))}


def frames_digest(frames: list[Frame]) -> str:
    """SHA-256 over one line per frame 'item_id|risk_level|frame_size|sample_size|frame sha256'."""
    lines = "\n".join(f"{f.item_id}|{f.risk_level}|{f.frame_size}|{f.sample_size}|{f.sha256}" for f in frames)
    return hashlib.sha256(lines.encode("utf-8")).hexdigest()


@dataclass
class DrawRecord:
    """The draw's part of record.json: what anyone needs to re-derive the draw and check it (docs/draw.md)."""
    seed: str
    period: str
    inputs_sha256: dict[str, str]
    parameters: dict
    version: str
    frames: list[dict]
    frames_sha256: str
    draw_files_sha256: dict[str, str]
    door_knocks: dict
    inspector_orders: dict = field(default_factory=dict)

    @classmethod
    def of(cls, draw: Draw, files: dict[str, bytes], knocks: dict) -> DrawRecord:
        return cls(seed=draw.seed, period=draw.period, inputs_sha256=dict(draw.inputs_sha256),
                   parameters=dict(draw.parameters), version=f"{package_version()} ({DRAW_METHOD})",
                   frames=[f.summary() for f in draw.frames], frames_sha256=frames_digest(draw.frames),
                   draw_files_sha256={name: hashlib.sha256(data).hexdigest() for name, data in sorted(files.items())},
                   door_knocks=knocks, inspector_orders=dict(draw.order_figures))

    def to_json(self) -> dict:
        return asdict(self)
