"""A department workbook opened and saved by a real office suite (LibreOffice) keeps its drop-downs, and the
results filled in come back the same. scripts/test.sh installs libreoffice-calc-nogui."""
from __future__ import annotations

import subprocess
from pathlib import Path

import openpyxl
import pytest

from models.records import DISPOSAL_LABELS, RESULT_LABELS
from planner.plan.folder import read_plan
from planner.quarter.results import DEPT_PROPERTY, import_results
from tests.export.test_export import write_plan
from tests.export.test_export_office import require
from tests.quarter.workbooks import NOW, SHEET, TODAY, filled

pytestmark = pytest.mark.office


def saved_by_libreoffice(workbook: Path, out_dir: Path, kind: str = "xlsx") -> Path:
    """The workbook as LibreOffice reads and writes it back (as .xlsx, .ods or .xls)."""
    soffice = require("soffice", "libreoffice-calc-nogui")
    out_dir.mkdir()
    result = subprocess.run(
        [soffice, f"-env:UserInstallation={(out_dir / 'profile').as_uri()}", "--headless", "--convert-to", kind,
         "--outdir", str(out_dir), str(workbook)], capture_output=True, text=True, timeout=180)
    saved = out_dir / f"{workbook.stem}.{kind}"
    assert result.returncode == 0 and saved.exists(), result.stdout + result.stderr
    return saved


def test_libreoffice_keeps_the_drop_downs_and_the_results(received, tmp_path):
    book = filled(received, tmp_path)
    saved = saved_by_libreoffice(book, tmp_path / "lo")
    workbook = openpyxl.load_workbook(saved)
    assert {p.name: p.value for p in workbook.custom_doc_props}[DEPT_PROPERTY] == "D1"
    lists = []
    for validation in workbook[SHEET].data_validations.dataValidation:
        if validation.type == "list":
            sheet, cells = validation.formula1.split("!")
            lists.append([c.value for (c,) in workbook[sheet.strip("'")][cells.replace("$", "")]])
    assert sorted(lists) == sorted([list(RESULT_LABELS), list(DISPOSAL_LABELS)])
    # LibreOffice's file and the department's own give the same results
    mine, theirs = write_plan(tmp_path / "mine"), write_plan(tmp_path / "theirs")
    import_results(mine, [book], today=TODAY, user="a", now=NOW)
    import_results(theirs, [saved], today=TODAY, user="a", now=NOW)
    assert read_plan(mine).results == read_plan(theirs).results and len(read_plan(mine).results) == 2


@pytest.mark.parametrize("kind", ["ods", "xls", "et"])
def test_results_saved_as_ods_xls_or_wps_et_import_the_same(received, tmp_path, kind):
    book = filled(received, tmp_path)
    saved = saved_by_libreoffice(book, tmp_path / "lo", "xls" if kind == "et" else kind)
    if kind == "et":  # WPS writes .et in the .xls format
        saved = saved.rename(saved.with_suffix(".et"))
    mine, theirs = write_plan(tmp_path / "mine"), write_plan(tmp_path / "theirs")
    import_results(mine, [book], today=TODAY, user="a", now=NOW)
    import_results(theirs, [saved], today=TODAY, user="a", now=NOW, dept_id="D1")  # .xls keeps no 部门编号 we read
    assert read_plan(mine).results == read_plan(theirs).results and len(read_plan(mine).results) == 2
