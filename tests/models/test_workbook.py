"""The one workbook reader: .xlsx, .xls (and WPS .et, the same format), .ods — rows numbered as a spreadsheet
shows them, and what each format can tell of hidden sheets, merged cells, formulas without a saved value and
custom properties.

data/sample.xls was saved by LibreOffice 7.4 from the workbook `sample_xlsx` builds (without the formula and the
custom property): sheets zones (a merged title A1:C1, a blank row 4), 备用 (hidden), 数字."""
from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from openpyxl.packaging.custom import StringProperty

from models.loading.limits import Refused
from models.loading.workbook import SheetInfo, cell_name, open_workbook

DATA = Path(__file__).parent / "data"
ZONES = [(1, ["片区名录"]), (2, ["zone_id", "name", "hub_town_id"]), (3, ["Z1", "城区片区", "T1"]),
         (5, ["Z2", "球川片区", "T3"])]


def sample_xlsx() -> bytes:
    book = openpyxl.Workbook()
    zones = book.active
    zones.title = "zones"
    zones["A1"] = "片区名录"
    zones.merge_cells("A1:C1")
    for row in (["zone_id", "name", "hub_town_id"], ["Z1", "城区片区", "T1"], [], ["Z2", "球川片区", "T3"]):
        zones.append(row)
    zones["E3"] = "=1+2"  # openpyxl saves a formula without its result, as some programs do
    book.create_sheet("备用").sheet_state = "hidden"
    book["备用"]["A1"] = "旧数据"
    book.create_sheet("数字").append(["count", "day", "code"])
    book["数字"].append([3, date(2026, 10, 9), 913308000000000000])
    book.custom_doc_props.append(StringProperty(name="部门编号", value="D1"))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def sample_ods() -> bytes:
    """A two-sheet .ods as LibreOffice writes one (only the parts a reader needs), with a custom property."""
    office = 'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
    table = 'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
    text = 'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
    meta = 'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"'

    def row(*cells: str) -> str:
        return "<table:table-row>" + "".join(
            f'<table:table-cell office:value-type="string"><text:p>{c}</text:p></table:table-cell>' if c
            else "<table:table-cell/>" for c in cells) + "</table:table-row>"

    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {office} {table} {text}>'
               "<office:body><office:spreadsheet>"
               '<table:table table:name="zones">' + row("zone_id", "name") + row() + row("Z1", "城区片区")
               + '</table:table><table:table table:name="其他">' + row("x") + "</table:table>"
               "</office:spreadsheet></office:body></office:document-content>")
    properties = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-meta {office} {meta}><office:meta>'
                  '<meta:user-defined meta:name="部门编号">D2</meta:user-defined></office:meta></office:document-meta>')
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        archive.writestr("content.xml", content)
        archive.writestr("meta.xml", properties)
        archive.writestr("META-INF/manifest.xml", '<?xml version="1.0" encoding="UTF-8"?>'
                         '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
                         '<manifest:file-entry manifest:full-path="/" manifest:media-type='
                         '"application/vnd.oasis.opendocument.spreadsheet"/></manifest:manifest>')
    return buffer.getvalue()


def test_xlsx_rows_sheets_merged_cells_formulas_and_properties():
    with open_workbook("sample.xlsx", sample_xlsx()) as book:
        assert book.kind == "xlsx"
        assert book.sheets == [SheetInfo("zones", "visible"), SheetInfo("备用", "hidden"), SheetInfo("数字", "visible")]
        assert book.rows("zones") == ZONES  # E3 has no value to read
        assert book.rows("数字")[1] == (2, [3.0, "2026-10-09", 913308000000000000.0])
        assert book.merged_ranges("zones") == ["A1:C1"]
        assert book.formulas_without_value("zones") == ["E3"] and book.formulas_without_value("数字") == []
        assert book.custom_properties == {"部门编号": "D1"}


@pytest.mark.parametrize("name", ["sample.xls", "sample.et"])
def test_xls_and_wps_et_read_the_same(name):
    with open_workbook(name, (DATA / "sample.xls").read_bytes()) as book:
        assert book.kind == "xls"
        assert book.sheets == [SheetInfo("zones", "visible"), SheetInfo("备用", "hidden"), SheetInfo("数字", "visible")]
        assert book.rows("zones") == ZONES and book.rows("备用") == [(1, ["旧数据"])]
        assert book.rows("数字") == [(1, ["count", "day", "code"]), (2, [3, "2026-10-09", 913308000000000000.0])]
        assert book.merged_ranges("zones") == ["A1:C1"]
        assert book.formulas_without_value("zones") is None and book.custom_properties is None  # cannot tell


def test_ods_rows_and_properties():
    with open_workbook("sample.ods", sample_ods()) as book:
        assert book.kind == "ods" and book.sheet_names == ["zones", "其他"]
        assert book.rows("zones") == [(1, ["zone_id", "name"]), (3, ["Z1", "城区片区"])]
        assert book.merged_ranges("zones") is None and book.formulas_without_value("zones") is None
        assert book.custom_properties == {"部门编号": "D2"}


@pytest.mark.parametrize("data, words", [
    (b"", "文件是空的"), (b"zone_id,name\nZ1,a\n", "CSV 文本文件"), (b"hello", "不是 Excel、WPS 或 ODS 工作簿"),
    (b"PK\x03\x04broken", "文件不完整或已损坏"),
    (b"\xd0\xcf\x11\xe0" + "EncryptionInfo".encode("utf-16-le"), "打开密码"),
])
def test_what_is_no_workbook_is_refused_with_the_reason(data, words):
    with pytest.raises(Refused) as refused:
        open_workbook("x.xlsx", data)
    assert words in refused.value.message


def test_a_plain_zip_named_as_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("zones.csv", "zone_id\n")
    with pytest.raises(Refused, match="普通的 zip"):
        open_workbook("x.xlsx", buffer.getvalue())


def test_cell_names():
    assert [cell_name(0, 0), cell_name(9, 25), cell_name(0, 26), cell_name(2, 701)] == ["A1", "Z10", "AA1", "ZZ3"]
