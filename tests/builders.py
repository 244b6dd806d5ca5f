"""A small valid dataset for tests, written as CSV folder, .xlsx workbook or .zip, with ways to break it.

API (keep it small; other tests reuse it):
- `dataset_tables()` -> a fresh dict: table stem -> list of rows, the first row the English header.
  `tables[stem][n - 1]` is the row a spreadsheet shows as row n (header = row 1, first data row = 2).
- `write_dataset(folder, *, chinese_headers=False, bom=False, edit=None, settings=None) -> Path`
  writes `folder/*.csv` + `settings.toml`. `edit(tables)` changes the tables first (use the helpers below,
  or assign/delete whole tables: `del tables["history"]`, `tables["calendar"] = [["date", "workday"], …]`).
  `settings` is a dict merged into SETTINGS (a None value removes the key) or raw TOML text.
- `write_workbook(path, **same)` writes one .xlsx (a sheet per table, a `settings` sheet of key/value), with
  numbers, booleans and dates as real cells, as Excel would save them.
- `write_zip(path, **same)` zips the CSV folder (inside a top folder, as zipping a folder does).
- `build_dataset(**same) -> Dataset` writes the folder to a temporary place and loads it.
- `set_cell(tables, stem, row, column, value)`, `drop_column(tables, stem, column)`, `credit_code(n)`.

The data: 2 片区 (Z1 hub T1, Z2 hub T3), 4 towns, 3 departments (D1 市场监管, D2 综合执法, D3 消防), 3
categories (C1 餐饮 led by D1, C2 加油站 by D3, C3 民宿 by D2), 4 items, 12 businesses (credit_code(1..12),
credit_code(12) exempt), 8 inspectors P01–P08 (P03 uncertified), an absence of P01 on 2026-10-12..16, a 回避
of P02 on credit_code(3), a history row, period 2026Q4.
"""
from __future__ import annotations

import tempfile
import zipfile
from datetime import date
from pathlib import Path

from models.credit_code import check_character
from models.dataset import Dataset
from models.loading import load_dataset
from models.schema import (
    TABLE,
    boolean,
    day_minutes,
    iso_date,
    item_minutes,
    latitude,
    longitude,
    number,
    optional_date,
    positive_int,
    published_rate,
    ratio,
    team_size,
)

Tables = dict[str, list[list[str]]]

SETTINGS = {"period": "2026Q4", "seed": "builders-seed", "cross_zone": "penalty"}


def credit_code(n: int) -> str:
    """The n-th valid 统一社会信用代码 of the test county (常山县 330822)."""
    first17 = f"91330822MA2{n:06d}"
    return first17 + check_character(first17)


def dataset_tables() -> Tables:
    c = credit_code
    return {
        "zones": [["zone_id", "name", "hub_town_id"],
                  ["Z1", "城区片区", "T1"],
                  ["Z2", "球川片区", "T3"]],
        "towns": [["town_id", "name", "zone_id", "lat", "lon"],
                  ["T1", "天马街道", "Z1", "28.9071", "118.5082"],
                  ["T2", "紫港街道", "Z1", "28.9245", "118.5301"],
                  ["T3", "球川镇", "Z2", "28.9517", "118.3533"],
                  ["T4", "何家乡", "Z2", "28.8502", "118.3011"]],
        "departments": [["dept_id", "name"],
                        ["D1", "市场监督管理局"],
                        ["D2", "综合行政执法局"],
                        ["D3", "消防救援大队"]],
        "categories": [["category_id", "name", "lead_dept_id"],
                       ["C1", "餐饮", "D1"],
                       ["C2", "加油站", "D3"],
                       ["C3", "民宿", "D2"]],
        "items": [["item_id", "dept_id", "name", "category_ids", "ratio_A", "ratio_B", "ratio_C", "ratio_D",
                   "minutes", "inspectors"],
                  ["I1", "D1", "食品安全检查", "C1", "0.02", "0.05", "0.2", "0.6", "45", "1"],
                  ["I2", "D2", "招牌与门前三包检查", "C1;C3", "0.01", "0.03", "0.1", "0.3", "20", "1"],
                  ["I3", "D3", "消防安全检查", "C1;C2;C3", "0.03", "0.05", "0.25", "1", "60", "2"],
                  ["I4", "D1", "计量器具检查", "C2", "0.05", "0.1", "0.3", "0.8", "30", "1"]],
        "businesses": [["credit_code", "name", "town_id", "category_id", "risk_level", "lat", "lon", "opened_on",
                        "address", "exempt"],
                       [c(1), "天马小吃店", "T1", "C1", "A", "28.9081", "118.5090", "2019-05-01", "天马街道1号", "false"],
                       [c(2), "紫港饭店", "T2", "C1", "B", "28.9250", "118.5310", "2020-07-15", "", "false"],
                       [c(3), "球川面馆", "T3", "C1", "C", "28.9520", "118.3540", "2018-01-20", "", "false"],
                       [c(4), "何家农家乐", "T4", "C3", "D", "28.8510", "118.3020", "2021-03-03", "", "false"],
                       [c(5), "城东加油站", "T1", "C2", "B", "28.9100", "118.5120", "2012-11-11", "", "false"],
                       [c(6), "球川加油站", "T3", "C2", "C", "28.9530", "118.3550", "2015-06-30", "", "false"],
                       [c(7), "紫港民宿", "T2", "C3", "A", "28.9260", "118.5320", "2022-04-18", "", "false"],
                       [c(8), "天马民宿", "T1", "C3", "B", "28.9090", "118.5100", "", "", "false"],
                       [c(9), "何家饭馆", "T4", "C1", "D", "28.8520", "118.3030", "2017-09-09", "", "false"],
                       [c(10), "球川民宿", "T3", "C3", "C", "28.9540", "118.3560", "2023-02-02", "", "false"],
                       [c(11), "紫港加油站", "T2", "C2", "A", "28.9270", "118.5330", "2010-10-10", "", "false"],
                       [c(12), "天马茶楼", "T1", "C1", "A", "28.9095", "118.5095", "2016-08-08", "", "true"]],
        "inspectors": [["inspector_id", "name", "dept_id", "zone_id", "certified", "day_minutes"],
                       ["P01", "张伟", "D1", "Z1", "true", "360"],
                       ["P02", "王芳", "D1", "Z1", "true", "360"],
                       ["P03", "李强", "D1", "Z2", "false", "360"],
                       ["P04", "刘洋", "D2", "Z1", "true", "360"],
                       ["P05", "陈静", "D2", "Z2", "true", "360"],
                       ["P06", "杨磊", "D2", "Z2", "true", "300"],
                       ["P07", "赵敏", "D3", "Z1", "true", "360"],
                       ["P08", "黄勇", "D3", "Z2", "true", "360"]],
        "unavailable": [["inspector_id", "start", "end", "reason"],
                        ["P01", "2026-10-12", "2026-10-16", "年休假"]],
        "conflicts": [["inspector_id", "credit_code", "reason"],
                      ["P02", c(3), "近亲属经营"]],
        "history": [["credit_code", "dept_id", "date", "inspector_ids"],
                    [c(1), "D1", "2026-03-15", "P01;P02"]],
    }


def set_cell(tables: Tables, stem: str, row: int, column: str, value: str) -> None:
    """Set the cell at spreadsheet row `row` (2 = first data row) in English column `column`."""
    table = tables[stem]
    table[row - 1][table[0].index(column)] = value


def drop_column(tables: Tables, stem: str, column: str) -> None:
    index = tables[stem][0].index(column)
    for row in tables[stem]:
        del row[index]


def _prepared(edit, chinese_headers: bool) -> Tables:
    tables = dataset_tables()
    if edit is not None:
        edit(tables)
    if chinese_headers:
        for stem, rows in tables.items():
            rows[0] = [_chinese(stem, h) for h in rows[0]]
    return tables


def _chinese(stem: str, header: str) -> str:
    spec = TABLE.get(stem)
    names = {c.name: c.aliases[0] for c in spec.columns} if spec else {}
    return names.get(header, header)


def _settings(settings: dict | str | None) -> dict | str:
    if isinstance(settings, str):
        return settings
    merged = {**SETTINGS, **(settings or {})}
    return {k: v for k, v in merged.items() if v is not None}


def _toml(settings: dict | str) -> str:
    if isinstance(settings, str):
        return settings
    lines = []
    for key, value in settings.items():
        shown = str(value).lower() if isinstance(value, bool) else (
            repr(value) if isinstance(value, (int, float)) else f'"{value}"')
        lines.append(f"{key} = {shown}")
    return "\n".join(lines) + "\n"


def write_dataset(folder, *, chinese_headers: bool = False, bom: bool = False, edit=None,
                  settings: dict | str | None = None) -> Path:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    encoding = "utf-8-sig" if bom else "utf-8"
    for stem, rows in _prepared(edit, chinese_headers).items():
        text = "".join(",".join(_quoted(cell) for cell in row) + "\n" for row in rows)
        (folder / f"{stem}.csv").write_text(text, encoding=encoding)
    (folder / "settings.toml").write_text(_toml(_settings(settings)), encoding="utf-8")
    return folder


def _quoted(cell: str) -> str:
    return f'"{cell}"' if any(ch in cell for ch in ',"\n') else cell


def write_zip(path, **kwargs) -> Path:
    path = Path(path)
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_dataset(Path(tmp) / "county", **kwargs)
        with zipfile.ZipFile(path, "w") as archive:
            for file in sorted(folder.iterdir()):
                archive.write(file, f"county/{file.name}")
    return path


# Excel keeps these as typed cells; writing them typed checks that the loader reads real cells.
_TYPED = {number: float, latitude: float, longitude: float, ratio: float, published_rate: float, positive_int: int,
          item_minutes: int, day_minutes: int, team_size: int, boolean: boolean, iso_date: iso_date,
          optional_date: iso_date}


def write_workbook(path, *, chinese_headers: bool = False, edit=None, settings: dict | str | None = None) -> Path:
    import openpyxl

    path = Path(path)
    book = openpyxl.Workbook()
    book.remove(book.active)
    for stem, rows in _prepared(edit, chinese_headers).items():
        sheet = book.create_sheet(stem)
        sheet.append(rows[0])
        parsers = [_cell_parser(stem, header) for header in rows[0]]
        for row in rows[1:]:
            sheet.append([_typed(parse, cell) for parse, cell in zip(parsers, row)])
    values = _settings(settings)
    if isinstance(values, str):
        raise ValueError("a workbook's settings are a key/value sheet: pass a dict")
    sheet = book.create_sheet("settings")
    sheet.append(["key", "value"])
    for key, value in values.items():
        sheet.append([key, date.fromisoformat(value) if key in ("start", "end") else value])
    book.save(path)
    return path


def _cell_parser(stem: str, header: str):
    spec = TABLE.get(stem)
    for column in spec.columns if spec else ():
        if header in (column.name, *column.aliases):
            return _TYPED.get(column.parse)
    return None


def _typed(parse, cell: str):
    if parse is None or cell == "":
        return cell
    try:
        return parse(cell)
    except ValueError:  # a deliberately broken cell stays text
        return cell


def build_dataset(**kwargs) -> Dataset:
    with tempfile.TemporaryDirectory() as tmp:
        return load_dataset(write_dataset(Path(tmp) / "county", **kwargs))
