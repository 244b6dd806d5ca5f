"""The exports opened by real office tools: LibreOffice converts the workbooks, poppler reads the PDFs.

scripts/test.sh installs libreoffice-calc-nogui and poppler-utils; a missing tool fails the test with the
package to install (a silent skip would let CI pass without ever opening a workbook).
"""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from planner.export import export_plan
from planner.export.formatting import CONFIDENTIAL
from tests.export.test_export import BUSINESS_NAMES, INSPECTOR_NAMES, SEED, tiny_dataset, write_plan

pytestmark = pytest.mark.office


def require(tool: str, package: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.fail(f"{tool} not installed (Debian package {package}; scripts/test.sh installs it)")
    return path


def pdf_text(pdf: Path) -> str:
    pdftotext = require("pdftotext", "poppler-utils")
    return subprocess.run([pdftotext, "-layout", str(pdf), "-"], check=True, capture_output=True,
                          text=True, timeout=60).stdout


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("office")
    export_plan(write_plan(root / "plan"), tiny_dataset(), root / "out")
    return root / "out"


def convert_to_pdf(workbook: Path, out_dir: Path) -> Path:
    soffice = require("soffice", "libreoffice-calc-nogui")
    profile = out_dir / "profile"  # a private profile: no clash with another LibreOffice running
    result = subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
         "--outdir", str(out_dir), str(workbook)],
        capture_output=True, text=True, timeout=180)
    pdf = out_dir / (workbook.stem + ".pdf")
    assert result.returncode == 0 and pdf.exists(), result.stdout + result.stderr
    return pdf


def test_libreoffice_converts_a_department_workbook(exported, tmp_path):
    (workbook,) = (exported / "部门").glob("D1_*.xlsx")
    text = pdf_text(convert_to_pdf(workbook, tmp_path))
    assert BUSINESS_NAMES[2] in text  # 球川加油站, a joint visit of 市场监管局
    assert CONFIDENTIAL in text  # the print header carries the marking
    assert BUSINESS_NAMES[5] not in text  # 综合执法局's own visit stays out


def test_libreoffice_converts_the_coordinator_workbook(exported, tmp_path):
    text = pdf_text(convert_to_pdf(exported / "协调员总表.xlsx", tmp_path))
    assert SEED in text and all(name in text for name in BUSINESS_NAMES.values())


def test_poppler_reads_the_notice_pdf(exported):
    text = pdf_text(exported / "公示" / "抽查公示.pdf")
    assert SEED in text and all(name in text for name in BUSINESS_NAMES.values())
    assert not any(name in text for name in INSPECTOR_NAMES.values())
