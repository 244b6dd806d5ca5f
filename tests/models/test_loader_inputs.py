"""Inputs as departments really send them: each careless form loads, or is refused naming file, row and column.

One test per case; each builds its broken input from tests.builders inside the test.
"""
from __future__ import annotations

import io
import os
import struct
import tracemalloc
import zipfile
from pathlib import Path

import openpyxl
import pytest

from models.loading import limits, load_dataset, load_upload
from models.problems import DatasetError, Problem, UserError
from planner.cli import main
from tests.builders import credit_code, set_cell, write_dataset, write_workbook, write_zip

TEXT_FIX = "设置为文本格式后重新粘贴"


def problems(path, **kwargs) -> list[Problem]:
    with pytest.raises(DatasetError) as info:
        load_dataset(path, **kwargs)
    return info.value.problems


def one_problem(path) -> Problem:
    found = problems(path)
    assert len(found) == 1, "\n".join(map(str, found))
    return found[0]


def user_error(path) -> str:
    with pytest.raises(UserError) as info:
        load_dataset(path)
    assert str(info.value)
    return str(info.value)


def reencode(folder: Path, encoding: str, names=None) -> None:
    for path in folder.glob("*.csv"):
        if names is None or path.name in names:
            path.write_bytes(path.read_text(encoding="utf-8").encode(encoding))


def edit_text(path: Path, change) -> None:
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")


def rename_header(stem: str, old: str, new: str):
    def edit(tables):
        header = tables[stem][0]
        header[header.index(old)] = new
    return edit


# --- 1. encodings -----------------------------------------------------------------------------------

@pytest.mark.parametrize("encoding", ["gbk", "gb18030"])
def test_csv_saved_by_excel_in_gbk_loads(tmp_path, encoding):
    reference = load_dataset(write_dataset(tmp_path / "utf8", chinese_headers=True))
    folder = write_dataset(tmp_path / "gbk", chinese_headers=True)
    reencode(folder, encoding)
    ds = load_dataset(folder)
    assert ds.businesses == reference.businesses and ds.towns == reference.towns


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("delimiter", [",", "\t"])  # Excel's “Unicode 文本” is UTF-16 LE, tab-separated
def test_utf16_with_a_bom_loads(tmp_path, encoding, delimiter):
    reference = load_dataset(write_dataset(tmp_path / "utf8"))
    folder = write_dataset(tmp_path / "utf16")
    bom = "\ufeff".encode(encoding)
    for path in folder.glob("*.csv"):
        text = path.read_text(encoding="utf-8").replace(",", delimiter)
        path.write_bytes(bom + text.encode(encoding))
    ds = load_dataset(folder)
    assert ds.businesses == reference.businesses and ds.history == reference.history


@pytest.mark.parametrize("data, words", [
    (b"zone_id,name,hub_town_id\nZ1,\xff\xfe\xfa,T1\n", "无法识别文件的编码"),  # no BOM, not UTF-8, not GB18030
    ("zone_id,name,hub_town_id\nZ1,城区,T1\n".encode("utf-16-le"), "空字符"),  # UTF-16 without its BOM
])
def test_file_in_no_known_encoding_is_refused_naming_it(tmp_path, data, words):
    folder = write_dataset(tmp_path / "county")
    (folder / "zones.csv").write_bytes(data)
    p = one_problem(folder)  # not also "missing zones" nor unknown references to it
    assert (p.file, p.row) == ("zones.csv", None) and words in p.message and "CSV UTF-8" in p.fix


def test_utf8_file_with_gbk_rows_pasted_in_is_refused_at_the_first_such_row(tmp_path):
    folder = write_dataset(tmp_path / "county")
    path = folder / "departments.csv"
    path.write_bytes(path.read_bytes() + "D4,应急管理局\n".encode("gbk"))
    p = one_problem(folder)
    assert (p.file, p.row) == ("departments.csv", 5) and "混合" in p.message


# --- 2. header aliases ------------------------------------------------------------------------------

@pytest.mark.parametrize("stem, column, alias", [
    ("zones", "zone_id", "所属片区"), ("towns", "zone_id", "片区编号"), ("inspectors", "zone_id", "片区编号"),
    ("departments", "dept_id", "所属部门"), ("inspectors", "dept_id", "部门编号"), ("inspectors", "dept_id", "实施部门"),
    ("items", "dept_id", "所属部门"), ("history", "dept_id", "实施部门"),
    ("towns", "town_id", "所属乡镇"), ("businesses", "town_id", "乡镇编号"),
    ("inspectors", "inspector_id", "检查人员编号"), ("unavailable", "inspector_id", "检查人员编号"),
    ("conflicts", "inspector_id", "检查人员编号"), ("history", "inspector_ids", "人员编号"),
    ("categories", "category_id", "行业"), ("categories", "category_id", "所属行业"),
    ("businesses", "category_id", "行业编号"), ("businesses", "category_id", "所属行业"),
    ("businesses", "credit_code", "信用代码"), ("conflicts", "credit_code", "信用代码"),
    ("history", "credit_code", "统一社会信用代码"),
])
def test_a_header_may_be_any_alias_of_its_concept(tmp_path, stem, column, alias):
    reference = load_dataset(write_dataset(tmp_path / "en"))
    ds = load_dataset(write_dataset(tmp_path / "alias", edit=rename_header(stem, column, alias)))
    assert ds.warnings == []
    for name in ("zones", "towns", "departments", "categories", "items", "businesses", "inspectors", "absences",
                 "conflicts", "history"):
        assert getattr(ds, name) == getattr(reference, name), name


# --- 3. title rows above the header -----------------------------------------------------------------

def test_csv_with_title_rows_is_read_with_real_row_numbers(tmp_path):
    folder = write_dataset(tmp_path / "county", edit=lambda t: set_cell(t, "businesses", 4, "risk_level", "E"))
    edit_text(folder / "businesses.csv", lambda text: "常山县检查对象名录（2026年第四季度）,,,\n\n填报单位：市场监管局\n" + text)
    p = one_problem(folder)
    # header on spreadsheet row 4, so the third data row (row 4 before) is row 7
    assert (p.file, p.row, p.column, p.value) == ("businesses.csv", 7, "risk_level", "E")


def test_workbook_sheet_with_title_rows_is_read_with_real_row_numbers(tmp_path):
    book = write_workbook(tmp_path / "county.xlsx", chinese_headers=True,
                          edit=lambda t: set_cell(t, "towns", 3, "zone_id", "Z9"))
    workbook = openpyxl.load_workbook(book)
    sheet = workbook["towns"]
    sheet.insert_rows(1, 2)
    sheet["A1"] = "常山县乡镇（街道）一览表"
    workbook.save(book)
    p = one_problem(book)
    assert (p.file, p.row, p.column, p.value) == ("county.xlsx:towns", 5, "所属片区", "Z9")


def test_no_header_row_found_is_refused_saying_where_it_belongs(tmp_path):
    folder = write_dataset(tmp_path / "county")
    edit_text(folder / "zones.csv", lambda text: "片区清单\n" + text.split("\n", 1)[1])  # header replaced by a title
    p = one_problem(folder)
    assert (p.file, p.row) == ("zones.csv", 1) and "找不到列名" in p.message
    assert "第 1 行" in p.fix and "zone_id" in p.fix and "片区编号" in p.fix


def test_no_header_row_in_a_workbook_sheet_names_the_sheet(tmp_path):
    book = write_workbook(tmp_path / "county.xlsx")
    workbook = openpyxl.load_workbook(book)
    workbook["departments"].delete_rows(1)
    workbook["departments"].insert_rows(1)
    workbook["departments"]["A1"] = "执法主体名单"
    workbook.save(book)
    p = one_problem(book)
    assert (p.file, p.row) == ("county.xlsx:departments", 1) and "dept_id" in p.fix


# --- 4. headers that look like known columns --------------------------------------------------------

def test_near_miss_header_of_an_optional_column_is_a_warning(tmp_path):
    ds = load_dataset(write_dataset(tmp_path / "county", chinese_headers=True,
                                    edit=rename_header("businesses", "exempt", "是否免检")))
    [w] = ds.warnings
    assert (w.file, w.row, w.column) == ("businesses.csv", 1, "是否免检")
    assert "exempt（免检）" in w.message and "没有读取" in w.message and "免检" in w.fix
    assert not any(b.exempt for b in ds.businesses)  # what the warning is about: nobody is exempt now


def test_near_miss_header_of_a_required_column_is_named_in_the_problem(tmp_path):
    with pytest.raises(DatasetError) as info:
        load_dataset(write_dataset(tmp_path / "county", chinese_headers=True,
                                   edit=rename_header("towns", "zone_id", "所属片区名")))
    [p] = info.value.problems
    assert (p.file, p.row, p.column) == ("towns.csv", 1, "zone_id") and "「所属片区名」" in p.fix
    [w] = info.value.warnings
    assert w.column == "所属片区名" and "zone_id" in w.message


def test_unknown_columns_that_resemble_nothing_stay_silent(tmp_path):
    def edit(tables):
        for stem in ("businesses", "inspectors"):
            tables[stem][0] += ["联系人", "电话", "备注", "序号"]
            for row in tables[stem][1:]:
                row += ["张三", "0570-1234567", "", "1"]
    assert load_dataset(write_dataset(tmp_path / "county", chinese_headers=True, edit=edit)).warnings == []


# --- 5. 统一社会信用代码 as a number, lowercase, full width -----------------------------------------

@pytest.mark.parametrize("number", [9.13308221234568E17, 913308221234568000])
def test_credit_code_stored_as_a_number_in_a_workbook_is_refused(tmp_path, number):
    book = write_workbook(tmp_path / "county.xlsx", chinese_headers=True)
    workbook = openpyxl.load_workbook(book)
    workbook["businesses"]["A3"] = number  # Excel turned an all-digit code into a number
    workbook.save(book)
    found = problems(book)
    assert (found[0].file, found[0].row, found[0].column) == ("county.xlsx:businesses", 3, "统一社会信用代码")
    assert "数字" in found[0].message and TEXT_FIX in found[0].fix
    assert found[0].value in ("9.13308221234568E+17", "913308221234568000")


def test_reference_to_a_code_that_did_not_read_says_to_fix_that_first(tmp_path):
    book = write_workbook(tmp_path / "county.xlsx")
    workbook = openpyxl.load_workbook(book)
    workbook["businesses"]["A4"] = 9.13308221234568E17  # credit_code(3), which conflicts.csv refers to
    workbook.save(book)
    code, reference = problems(book)
    assert (code.file, code.row) == ("county.xlsx:businesses", 4)
    assert (reference.file, reference.row, reference.value) == ("county.xlsx:conflicts", 2, credit_code(3))
    assert reference.fix.startswith("先改正 county.xlsx:businesses 中无法读取的编号")


@pytest.mark.parametrize("written, words", [
    ("9.13308E+17", "科学计数法"), ("9.13308221234568e17", "科学计数法"),
    ("13308221234567890", "17 位且全是数字"), ("913308221234568000", "只保留了 15 位"),
])
def test_credit_code_excel_made_a_number_in_csv_is_refused(tmp_path, written, words):
    p = one_problem(write_dataset(tmp_path / "county", edit=lambda t: set_cell(t, "businesses", 5, "credit_code",
                                                                                 written)))
    assert (p.file, p.row, p.column, p.value) == ("businesses.csv", 5, "credit_code", written)
    assert words in p.message and TEXT_FIX in p.fix


def test_lowercase_and_full_width_credit_codes_are_normalised_everywhere(tmp_path):
    full_width = credit_code(3).translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789ABCDEFGHJKLMNPQRTUWXY"})

    def edit(tables):
        set_cell(tables, "businesses", 2, "credit_code", credit_code(1).lower())
        set_cell(tables, "businesses", 4, "credit_code", full_width)
        set_cell(tables, "conflicts", 2, "credit_code", credit_code(3).lower())  # refers to the full-width one
        set_cell(tables, "history", 2, "credit_code", f" {credit_code(1)} ")
    ds = load_dataset(write_dataset(tmp_path / "county", edit=edit))
    assert credit_code(1) in ds.business and credit_code(3) in ds.business
    assert ds.conflicts[0].credit_code == credit_code(3) and ds.history[0].credit_code == credit_code(1)


def test_same_code_in_two_cases_is_a_duplicate(tmp_path):
    p = one_problem(write_dataset(tmp_path / "county", edit=lambda t: set_cell(
        t, "businesses", 3, "credit_code", credit_code(1).lower())))
    assert (p.row, p.column) == (3, "credit_code") and "重复（第 2 行已有）" in p.message


# --- 6. a stray quote -----------------------------------------------------------------------------------

def test_stray_quote_in_a_small_file_names_the_row_where_it_opens(tmp_path):
    folder = write_dataset(tmp_path / "county")
    edit_text(folder / "businesses.csv", lambda text: text.replace(",球川面馆,", ',"球川面馆,'))
    p = one_problem(folder)  # not also every conflict/history row pointing at a swallowed business
    assert (p.file, p.row, p.column) == ("businesses.csv", 4, "name")
    assert p.value.startswith(credit_code(3)) and "双引号" in p.message and "删掉多余的双引号" in p.fix


def test_stray_quote_in_a_county_size_file_is_not_a_field_size_traceback(tmp_path):
    def grow(tables):
        for n in range(13, 3013):  # ~400 KB after the quote: past csv's 128 KB field limit
            tables["businesses"].append([credit_code(n), f"商户{n}", "T1", "C1", "A", "28.9", "118.5", "", "", "false"])
    folder = write_dataset(tmp_path / "county", edit=grow)
    edit_text(folder / "businesses.csv", lambda text: text.replace(",紫港饭店,", ',紫港饭店,"'))
    p = one_problem(folder)
    assert (p.file, p.row, p.column) == ("businesses.csv", 3, "town_id") and "双引号" in p.message


# --- 7. zips ----------------------------------------------------------------------------------------

def zip_bytes(tmp_path: Path, **kwargs) -> bytes:
    return write_zip(tmp_path / "county.zip", **kwargs).read_bytes()


def patch_entry(data: bytes, name: str, *, flag: int = 0, method: int | None = None) -> bytes:
    """Set flag bits or the compression method of entry `name` in its local and central headers."""
    out = bytearray(data)
    encoded = name.encode()
    # (signature, offsets of flags, method, name length, name) in a local and a central directory header
    for signature, flag_at, method_at, length_at, name_at in ((b"PK\x03\x04", 6, 8, 26, 30),
                                                              (b"PK\x01\x02", 8, 10, 28, 46)):
        start = 0
        while (start := out.find(signature, start)) != -1:
            length = struct.unpack_from("<H", out, start + length_at)[0]
            if bytes(out[start + name_at:start + name_at + length]) == encoded:
                struct.pack_into("<H", out, start + flag_at, struct.unpack_from("<H", out, start + flag_at)[0] | flag)
                if method is not None:
                    struct.pack_into("<H", out, start + method_at, method)
            start += 4
    return bytes(out)


def test_encrypted_zip_entry_is_named(tmp_path):
    data = patch_entry(zip_bytes(tmp_path), "county/towns.csv", flag=0x1)
    with pytest.raises(DatasetError) as info:
        load_upload("county.zip", data)
    [p] = info.value.problems
    assert (p.file, p.value) == ("county.zip", "county/towns.csv") and "密码" in p.message


def test_zip_entry_with_a_bad_crc_is_named(tmp_path):
    folder = write_dataset(tmp_path / "county")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for path in sorted(folder.iterdir()):
            archive.write(path, path.name)
    data = buffer.getvalue().replace("何家农家乐".encode(), "何家农家东".encode())  # same length, other bytes
    with pytest.raises(DatasetError) as info:
        load_upload("county.zip", data)
    [p] = info.value.problems
    assert (p.file, p.value) == ("county.zip", "businesses.csv") and "CRC" in p.message and "重新压缩" in p.fix


def test_zip_entry_with_an_unsupported_compression_method_is_named(tmp_path):
    data = patch_entry(zip_bytes(tmp_path), "county/zones.csv", method=9)  # Deflate64
    with pytest.raises(DatasetError) as info:
        load_upload("county.zip", data)
    [p] = info.value.problems
    assert p.value == "county/zones.csv" and "不支持的压缩方式（编号 9）" in p.message and "7-Zip" in p.fix


def test_zip_written_with_backslashes_loads(tmp_path):
    folder = write_dataset(tmp_path / "county")
    path = tmp_path / "powershell.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in sorted(folder.iterdir()):
            archive.writestr(f"county\\{file.name}", file.read_bytes())  # as Compress-Archive writes them
    assert len(load_dataset(path).businesses) == 12


def bomb(path: Path, unpacked_mb: int, name: str = "county/businesses.csv") -> bytes:
    """A zip whose one CSV unpacks to `unpacked_mb` MB of commas, built without holding them in memory."""
    with (zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
          archive.open(name, "w", force_zip64=True) as entry):
        chunk = b"," * (1024 * 1024)
        for _ in range(unpacked_mb):
            entry.write(chunk)
    return path.read_bytes()


def test_zip_bomb_is_refused_before_it_expands(tmp_path):
    data = bomb(tmp_path / "bomb.zip", 400)  # ~2 MB that unpack to 400 MB
    tracemalloc.start()
    with pytest.raises(DatasetError) as info:
        load_upload("bomb.zip", data)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    [p] = info.value.problems
    assert p.file == "bomb.zip" and f"超过单个文件 {limits.MAX_FILE_MB} MB 的上限" in p.message and "没有解压" in p.message
    assert peak < 20 * 1024 * 1024


def test_zip_with_a_suspicious_compression_ratio_is_refused(tmp_path):
    data = bomb(tmp_path / "ratio.zip", 20)
    with pytest.raises(DatasetError) as info:
        load_upload("ratio.zip", data)
    [p] = info.value.problems
    assert "压缩比异常" in p.message and f"上限 {limits.MAX_RATIO} 倍" in p.message


def test_zip_unpacking_past_the_total_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_TOTAL_MB", 0.001)  # the small dataset unpacks to a few KB
    with pytest.raises(DatasetError) as info:
        load_upload("county.zip", zip_bytes(tmp_path))
    [p] = info.value.problems
    assert p.file == "county.zip" and "超过 0.001 MB 的上限" in p.message


def test_workbook_bomb_is_refused_before_openpyxl_unpacks_it(tmp_path):
    book = write_workbook(tmp_path / "county.xlsx")
    with zipfile.ZipFile(book, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/image1.png", b"\0" * (20 * 1024 * 1024))
    p = one_problem(book)
    assert (p.file, p.value) == ("county.xlsx", "xl/media/image1.png") and "压缩比异常" in p.message


def test_one_file_past_the_size_limit_is_refused_in_a_folder_and_as_an_upload(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_FILE_MB", 0.01)  # 10 KB
    folder = write_dataset(tmp_path / "county")
    edit_text(folder / "history.csv", lambda text: text + "\n" * 20_000)
    p = one_problem(folder)
    assert p.file == "history.csv" and "超过单个文件 0.01 MB 的上限" in p.message
    with pytest.raises(UserError, match="超过单个文件 0.01 MB 的上限"):
        load_upload("county.zip", b"PK" + b"\0" * 20_000)


# --- 8. empty tables --------------------------------------------------------------------------------

REQUIRED = ["zones", "towns", "departments", "categories", "items", "businesses", "inspectors"]


@pytest.mark.parametrize("stem", REQUIRED)
def test_required_table_with_a_header_and_no_rows_is_refused(tmp_path, stem):
    p = one_problem(write_dataset(tmp_path / "county", edit=lambda t: t.__setitem__(stem, t[stem][:1])))
    assert (p.file, p.row) == (f"{stem}.csv", None) and "只有表头" in p.message and "第 2 行" in p.fix


@pytest.mark.parametrize("stem", REQUIRED)
def test_required_table_in_an_empty_file_is_refused(tmp_path, stem):
    folder = write_dataset(tmp_path / "county")
    (folder / f"{stem}.csv").write_bytes(b"")
    p = one_problem(folder)
    assert (p.file, p.row) == (f"{stem}.csv", None) and "空的" in p.message


def test_empty_sheet_in_a_workbook_is_refused(tmp_path):
    book = write_workbook(tmp_path / "county.xlsx")
    workbook = openpyxl.load_workbook(book)
    workbook["items"].delete_rows(1, 10)
    workbook.save(book)
    p = one_problem(book)
    assert p.file == "county.xlsx:items" and "空的" in p.message


def test_optional_table_in_an_empty_file_loads_with_a_warning(tmp_path):
    folder = write_dataset(tmp_path / "county")
    (folder / "unavailable.csv").write_bytes(b"")
    ds = load_dataset(folder)
    assert ds.absences == [] and [w.file for w in ds.warnings] == ["unavailable.csv"]


# --- 9. dates -----------------------------------------------------------------------------------

@pytest.mark.parametrize("written", ["2026/10/09", "2026-10-9", "2026年10月9日", "２０２６-10-09"])
def test_dates_load_in_every_date_column(tmp_path, written):
    def edit(tables):
        set_cell(tables, "unavailable", 2, "start", written)
        set_cell(tables, "unavailable", 2, "end", written)
        set_cell(tables, "history", 2, "date", written)
        set_cell(tables, "businesses", 2, "opened_on", written)
        tables["calendar"] = [["date", "workday"], [written, "false"]]
    ds = load_dataset(write_dataset(tmp_path / "county", edit=edit))
    day = ds.absences[0].start
    assert day.isoformat() == "2026-10-09" and ds.absences[0].end == day and ds.history[0].date == day
    assert ds.business[credit_code(1)].opened_on == day
    assert day not in ds.workdays and len(ds.workdays) == 61  # calendar.csv took the Friday off


def test_excel_day_number_instead_of_a_date_says_so(tmp_path):
    p = one_problem(write_dataset(tmp_path / "county", edit=lambda t: set_cell(t, "history", 2, "date", "46097")))
    assert (p.file, p.row, p.column) == ("history.csv", 2, "date") and "日期序号" in p.message


# --- 10. a workbook with settings.toml beside it -------------------------------------------------------

def workbook_without_settings_sheet(path: Path) -> Path:
    write_workbook(path)
    workbook = openpyxl.load_workbook(path)
    del workbook["settings"]
    workbook.save(path)
    return path


def test_folder_with_one_workbook_and_settings_toml_loads_like_the_workbook(tmp_path):
    reference = load_dataset(write_dataset(tmp_path / "csv"))
    folder = tmp_path / "county"
    folder.mkdir()
    workbook_without_settings_sheet(folder / "常山县.xlsx")
    (folder / "settings.toml").write_text('period = "2026Q4"\nseed = "builders-seed"\n', encoding="utf-8")
    ds = load_dataset(folder)
    assert ds.businesses == reference.businesses and ds.settings == reference.settings
    assert set(ds.inputs_sha256) == {"常山县.xlsx", "settings.toml"}


def test_zip_with_one_workbook_and_settings_toml_loads(tmp_path):
    book = workbook_without_settings_sheet(tmp_path / "county.xlsx")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.write(book, "county/county.xlsx")
        archive.writestr("county/settings.toml", 'period = "2026Q4"\n')
    assert load_upload("county.zip", buffer.getvalue()).settings.period.text == "2026Q4"


def test_workbook_with_a_settings_sheet_and_settings_toml_beside_it_is_a_conflict(tmp_path):
    folder = tmp_path / "county"
    folder.mkdir()
    write_workbook(folder / "county.xlsx")
    (folder / "settings.toml").write_text('period = "2026Q4"\n', encoding="utf-8")
    p = one_problem(folder)
    assert p.file == "settings.toml" and "两处" in p.message and "county.xlsx:settings" in p.message


# --- 11. other careless inputs ------------------------------------------------------------------

def test_directory_where_a_table_file_should_be(tmp_path):
    folder = write_dataset(tmp_path / "county")
    (folder / "towns.csv").unlink()
    (folder / "towns.csv").mkdir()
    p = one_problem(folder)
    assert p.file == "towns.csv" and "文件夹" in p.message


def test_unreadable_table_file(tmp_path, monkeypatch):
    folder = write_dataset(tmp_path / "county")
    opened = Path.open

    def denied(path, *args, **kwargs):  # chmod 000 does not stop root, who may run the tests
        if path.name == "inspectors.csv":
            raise PermissionError(13, "Permission denied", str(path))
        return opened(path, *args, **kwargs)
    monkeypatch.setattr(Path, "open", denied)
    p = one_problem(folder)
    assert p.file == "inspectors.csv" and "权限" in p.message


def test_broken_symlink_as_a_table_and_as_the_dataset(tmp_path):
    folder = write_dataset(tmp_path / "county")
    (folder / "zones.csv").unlink()
    os.symlink(tmp_path / "gone.csv", folder / "zones.csv")
    p = one_problem(folder)
    assert p.file == "zones.csv" and "失效的链接" in p.message
    os.symlink(tmp_path / "gone", tmp_path / "link")
    assert "失效的链接" in user_error(tmp_path / "link")


@pytest.mark.parametrize("name, words", [("county.numbers", "Numbers"), ("businesses.csv", "全部 CSV 文件"),
                                         ("settings.toml", "全部 CSV 文件"), ("county.txt", "文件夹")])
def test_one_file_that_is_not_a_dataset_given_directly(tmp_path, name, words):
    (tmp_path / name).write_bytes(b"whatever")
    message = user_error(tmp_path / name)
    assert name in message and words in message


def test_workbook_that_is_really_a_renamed_csv(tmp_path):
    folder = write_dataset(tmp_path / "county")
    (folder / "zones.csv").rename(tmp_path / "county.xlsx")
    p = one_problem(tmp_path / "county.xlsx")
    assert p.file == "county.xlsx" and "CSV 文本文件" in p.message and ".csv" in p.fix


def test_a_numbers_file_in_the_folder_instead_of_a_table(tmp_path):
    folder = write_dataset(tmp_path / "county")
    (folder / "towns.csv").rename(folder / "towns.numbers")
    p = one_problem(folder)
    assert p.file == "towns.numbers" and "Numbers" in p.message


@pytest.mark.parametrize("name", ["county.xls", "county.et", "county.ods"])
def test_a_file_named_as_a_workbook_that_is_none_is_named(tmp_path, name):
    (tmp_path / name).write_bytes(b"whatever")
    p = one_problem(tmp_path / name)
    assert p.file == name and "不是 Excel、WPS 或 ODS 工作簿" in p.message


def test_folder_whose_data_sits_in_a_subfolder(tmp_path):
    write_dataset(tmp_path / "outer" / "county")
    p = one_problem(tmp_path / "outer")
    assert p.file == "outer" and "没有找到任何数据表" in p.message and "county" in p.fix


def test_file_named_like_a_missing_table_is_suggested(tmp_path):
    folder = write_dataset(tmp_path / "county")
    (folder / "towns.csv").rename(folder / "towns (1).csv")  # how a browser saves a second download
    p = one_problem(folder)
    assert p.file == "towns.csv" and "「towns (1).csv」" in p.fix


# --- the CLI prints these without a traceback -------------------------------------------------------

def test_validate_prints_an_input_problem_without_a_traceback(tmp_path, capsys):
    folder = write_dataset(tmp_path / "county")
    (folder / "items.csv").write_bytes(b"")
    assert main(["validate", str(folder)]) == 1
    err = capsys.readouterr().err
    assert "items.csv：表是空的" in err and "Traceback" not in err
