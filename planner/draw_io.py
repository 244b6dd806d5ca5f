"""The draw's files: draw.csv, inspector_orders.csv, frames.csv and its part of record.json."""
from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

from planner.output import atomic_folder, write_json

DRAW_COLUMNS = ["item_id", "dept_id", "credit_code", "risk_level", "frame_size", "sample_size", "rank"]
ORDER_COLUMNS = ["credit_code", "dept_id", "rank", "inspector_id", "zone_id", "shortlisted"]
FRAME_COLUMNS = ["item_id", "risk_level", "credit_code"]


def csv_bytes(header: list[str], rows) -> bytes:
    """UTF-8, '\\n' line ends: the same rows give the same bytes everywhere (as planner.output.write_csv)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def draw_rows(draw) -> list[list]:
    return [[p.item_id, p.dept_id, p.credit_code, p.risk_level, p.frame_size, p.sample_size, p.rank]
            for p in draw.pairs]


def order_rows(draw) -> list[tuple]:
    zone = draw.inspector_zone
    rows = []
    for key in sorted(draw.orders):
        code, dept_id = key
        size = draw.shortlist_size[key]
        rows += [(code, dept_id, rank, officer, zone.get(officer, ""), "true" if rank <= size else "false")
                 for rank, officer in enumerate(draw.orders[key], start=1)]
    return rows


def frame_rows(draw) -> list[tuple]:
    """The published frames (一公开): every eligible business of every (item, risk class), codes sorted."""
    return [(f.item_id, f.risk_level, code) for f in draw.frames for code in sorted(f.codes)]


def draw_files(draw) -> dict[str, bytes]:
    return {"draw.csv": csv_bytes(DRAW_COLUMNS, draw_rows(draw)),
            "inspector_orders.csv": csv_bytes(ORDER_COLUMNS, order_rows(draw)),
            "frames.csv": csv_bytes(FRAME_COLUMNS, frame_rows(draw))}


def frames_digest(frames) -> str:
    """SHA-256 over one line per frame 'item_id|risk_level|frame_size|sample_size|frame sha256'."""
    lines = "\n".join(f"{f.item_id}|{f.risk_level}|{f.frame_size}|{f.sample_size}|{f.sha256}" for f in frames)
    return hashlib.sha256(lines.encode("utf-8")).hexdigest()


def draw_record(draw) -> dict:
    from planner.draw import DRAW_METHOD

    files = draw.files()
    return {
        "seed": draw.seed,
        "period": draw.period,
        "inputs_sha256": dict(draw.inputs_sha256),
        "parameters": dict(draw.parameters),
        "version": f"{package_version()} ({DRAW_METHOD})",
        "frames": [f.summary() for f in draw.frames],
        "frames_sha256": frames_digest(draw.frames),
        "draw_files_sha256": {name: hashlib.sha256(data).hexdigest() for name, data in sorted(files.items())},
        "door_knocks": draw.door_knocks(),
        "inspector_orders": dict(draw.order_figures),
    }


def write_draw_folder(draw, folder) -> None:
    """draw.csv, inspector_orders.csv, frames.csv and record.json, written together or not at all."""
    with atomic_folder(folder) as tmp:
        for name, data in draw.files().items():
            (tmp / name).write_bytes(data)
        write_json(tmp / "record.json", draw.record())


def read_csv_rows(path: Path) -> list[dict]:
    with Path(path).open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def package_version() -> str:
    try:
        from importlib.metadata import PackageNotFoundError, version
        return version("inspection-planner")
    except PackageNotFoundError:
        import tomllib
        pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
        try:
            return tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["version"]
        except (OSError, KeyError, tomllib.TOMLDecodeError):
            return "unknown"
