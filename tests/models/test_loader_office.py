"""A dataset workbook saved by a real office suite as .xls, WPS .et (the .xls format) and .ods loads to the same
dataset as the .xlsx. scripts/test.sh installs libreoffice-calc-nogui."""
from __future__ import annotations

import subprocess

import pytest

from models.loading import load_dataset
from tests.builders import write_workbook
from tests.export.test_export_office import require

pytestmark = pytest.mark.office
RECORD_LISTS = ("zones", "towns", "departments", "categories", "items", "businesses", "inspectors", "absences",
                "conflicts", "history", "workdays", "settings")


@pytest.mark.parametrize("kind", ["xls", "et", "ods"])
def test_a_workbook_saved_as_xls_et_or_ods_loads_as_the_xlsx(tmp_path, kind):
    book = write_workbook(tmp_path / "county.xlsx", chinese_headers=True)
    soffice = require("soffice", "libreoffice-calc-nogui")
    target = "xls" if kind == "et" else kind
    result = subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                             "--convert-to", target, "--outdir", str(tmp_path / "lo"), str(book)],
                            capture_output=True, text=True, timeout=180)
    saved = tmp_path / "lo" / f"county.{target}"
    assert result.returncode == 0 and saved.exists(), result.stdout + result.stderr
    if kind == "et":
        saved = saved.rename(saved.with_suffix(".et"))
    reference, other = load_dataset(book), load_dataset(saved)
    for name in RECORD_LISTS:
        assert getattr(other, name) == getattr(reference, name), name
