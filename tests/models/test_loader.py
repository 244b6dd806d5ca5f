"""load_dataset: every validation rule names file, row and column; formats and header languages agree."""
from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import pytest

from models.loading import load_dataset, load_upload
from models.problems import DatasetError, Problem, UserError
from planner.check.summary import PROBLEM_COLUMNS, dataset_summary, problems_frame
from planner.cli import main
from tests.builders import (
    build_dataset,
    credit_code,
    dataset_tables,
    drop_column,
    set_cell,
    write_dataset,
    write_workbook,
    write_zip,
)

RECORD_LISTS = ("zones", "towns", "departments", "categories", "items", "businesses", "inspectors", "absences",
                "conflicts", "history", "settings", "workdays")


def problems_of(tmp_path: Path, overrides: dict | None = None, **kwargs) -> list[Problem]:
    folder = write_dataset(tmp_path / "county", **kwargs)
    with pytest.raises(DatasetError) as info:
        load_dataset(folder, settings_overrides=overrides)
    return info.value.problems


def the_problem(tmp_path: Path, **kwargs) -> Problem:
    problems = problems_of(tmp_path, **kwargs)
    assert len(problems) == 1, "\n".join(map(str, problems))
    return problems[0]


def cell(stem, row, column, value):
    return lambda tables: set_cell(tables, stem, row, column, value)


def append(stem, row):
    return lambda tables: tables[stem].append(row)


# --- the valid dataset ------------------------------------------------------------------------------

def test_valid_dataset_loads_every_table():
    ds = build_dataset()
    assert (len(ds.zones), len(ds.towns), len(ds.departments), len(ds.categories), len(ds.items)) == (2, 4, 3, 3, 4)
    assert (len(ds.businesses), len(ds.inspectors)) == (12, 8)
    assert (len(ds.absences), len(ds.conflicts), len(ds.history)) == (1, 1, 1)
    assert ds.item["I3"].ratios == {"A": 0.03, "B": 0.05, "C": 0.25, "D": 1.0}
    assert ds.item["I3"].category_ids == ("C1", "C2", "C3") and ds.item["I3"].inspectors == 2
    assert ds.business[credit_code(12)].exempt and not ds.business[credit_code(1)].exempt
    assert ds.business[credit_code(8)].opened_on is None
    assert ds.inspector["P06"].day_minutes == 300 and not ds.inspector["P03"].certified
    assert ds.history[0].inspector_ids == ("P01", "P02")
    assert ds.settings.period.text == "2026Q4" and ds.settings.seed == "builders-seed"
    assert len(ds.workdays) == 62


def test_optional_tables_and_columns_may_be_absent():
    def strip(tables):
        for stem in ("unavailable", "conflicts", "history"):
            del tables[stem]
        drop_column(tables, "items", "inspectors")
        drop_column(tables, "inspectors", "day_minutes")
        for column in ("opened_on", "address", "exempt"):
            drop_column(tables, "businesses", column)
    ds = build_dataset(edit=strip)
    assert ds.absences == [] and ds.conflicts == [] and ds.history == []
    assert all(i.inspectors == 1 for i in ds.items) and all(p.day_minutes == 360 for p in ds.inspectors)
    assert all(b.opened_on is None and b.address == "" and not b.exempt for b in ds.businesses)
    assert set(ds.inputs_sha256) == {f"{s}.csv" for s in ("zones", "towns", "departments", "categories", "items",
                                                          "businesses", "inspectors")} | {"settings.toml"}


def test_header_languages_bom_and_formats_load_to_equal_datasets(tmp_path):
    reference = load_dataset(write_dataset(tmp_path / "en"))
    variants = [
        load_dataset(write_dataset(tmp_path / "zh", chinese_headers=True)),
        load_dataset(write_dataset(tmp_path / "bom", chinese_headers=True, bom=True)),
        load_dataset(write_workbook(tmp_path / "county.xlsx")),
        load_dataset(write_workbook(tmp_path / "county_zh.xlsx", chinese_headers=True)),
        load_dataset(write_zip(tmp_path / "county.zip", bom=True)),
    ]
    for ds in variants:
        for name in RECORD_LISTS:
            assert getattr(ds, name) == getattr(reference, name), name


def test_zip_upload_in_memory_hashes_members_like_the_folder(tmp_path):
    folder = write_dataset(tmp_path / "county")
    data = write_zip(tmp_path / "county.zip").read_bytes()
    assert load_upload("county.zip", data).inputs_sha256 == load_dataset(folder).inputs_sha256


def test_inputs_sha256_digests_raw_bytes(tmp_path):
    folder = write_dataset(tmp_path / "county", bom=True)
    ds = load_dataset(folder)
    assert ds.inputs_sha256["businesses.csv"] == hashlib.sha256((folder / "businesses.csv").read_bytes()).hexdigest()
    book = write_workbook(tmp_path / "county.xlsx")
    assert load_dataset(book).inputs_sha256 == {"county.xlsx": hashlib.sha256(book.read_bytes()).hexdigest()}


def test_cells_are_read_leniently_where_meaning_is_clear():
    def edit(tables):
        set_cell(tables, "inspectors", 2, "certified", "是")
        set_cell(tables, "inspectors", 3, "certified", "TRUE")
        set_cell(tables, "inspectors", 4, "certified", "否")
        set_cell(tables, "inspectors", 5, "certified", "1")
        set_cell(tables, "inspectors", 6, "certified", "0")
        set_cell(tables, "items", 3, "category_ids", "C1；C3")  # Chinese semicolon
        set_cell(tables, "items", 2, "ratio_D", "60%")
        set_cell(tables, "businesses", 3, "risk_level", "b")
        set_cell(tables, "businesses", 3, "opened_on", "2020/7/15")  # Excel's Chinese-locale CSV date
        set_cell(tables, "towns", 2, "name", "  天马街道 ")
        tables["towns"][0].append("备注")  # unknown columns are ignored
        for row in tables["towns"][1:]:
            row.append("随便写")
    ds = build_dataset(edit=edit)
    assert [p.certified for p in ds.inspectors[:5]] == [True, True, False, True, False]
    assert ds.item["I2"].category_ids == ("C1", "C3") and ds.item["I1"].ratio("D") == 0.6
    assert ds.business[credit_code(2)].risk_level == "B"
    assert ds.business[credit_code(2)].opened_on.isoformat() == "2020-07-15"
    assert ds.town["T1"].name == "天马街道"


def test_blank_lines_are_not_rows(tmp_path):
    folder = write_dataset(tmp_path / "county")
    with (folder / "zones.csv").open("a", encoding="utf-8") as f:
        f.write(",,\n\n")
    assert len(load_dataset(folder).zones) == 2


# --- one test per rule -------------------------------------------------------------------------------

def test_missing_required_file(tmp_path):
    p = the_problem(tmp_path, edit=lambda t: t.pop("towns"))
    assert (p.file, p.row, p.column) == ("towns.csv", None, None)
    assert "towns" in p.message and "town_id" in p.fix


def test_missing_required_column(tmp_path):
    p = the_problem(tmp_path, edit=lambda t: drop_column(t, "businesses", "lat"))
    assert (p.file, p.row, p.column) == ("businesses.csv", 1, "lat")
    assert "缺少必需的列" in p.message


def test_missing_column_is_named_in_chinese_file_too(tmp_path):
    p = the_problem(tmp_path, chinese_headers=True, edit=lambda t: drop_column(t, "inspectors", "certified"))
    assert (p.file, p.row, p.column) == ("inspectors.csv", 1, "certified") and "持执法证" in p.message


def test_two_headers_for_one_column(tmp_path):
    def edit(tables):
        tables["departments"][0].append("部门编号")
        for row in tables["departments"][1:]:
            row.append(row[0])
    p = the_problem(tmp_path, edit=edit)
    assert (p.file, p.row, p.column) == ("departments.csv", 1, "部门编号") and "两列" in p.message


@pytest.mark.parametrize("stem, row, column", [
    ("businesses", 3, "name"), ("zones", 2, "name"), ("items", 4, "minutes"), ("towns", 5, "lat"),
])
def test_empty_required_cell(tmp_path, stem, row, column):
    p = the_problem(tmp_path, edit=cell(stem, row, column, ""))
    assert (p.file, p.row, p.column, p.value) == (f"{stem}.csv", row, column, "")
    assert p.message.startswith("缺少")


def test_inspector_with_no_department(tmp_path):
    p = the_problem(tmp_path, chinese_headers=True, edit=cell("inspectors", 4, "dept_id", ""))
    assert (p.file, p.row, p.column) == ("inspectors.csv", 4, "所属部门")
    assert p.message == "缺少所属部门" and "departments.csv" in p.fix


@pytest.mark.parametrize("stem, row", [
    ("departments", ["D1", "市场监管（重复）"]),
    ("zones", ["Z2", "又一个片区", "T3"]),
    ("businesses", [credit_code(2), "重复的饭店", "T2", "C1", "B", "28.9", "118.5", "", "", "false"]),
    ("conflicts", ["P02", credit_code(3), "同一对回避"]),
])
def test_duplicate_key(tmp_path, stem, row):
    p = the_problem(tmp_path, edit=append(stem, row))
    rows = len(dataset_tables()[stem]) + 1  # the appended row's spreadsheet number
    assert (p.file, p.row) == (f"{stem}.csv", rows)
    assert "重复" in p.message and "第" in p.message


@pytest.mark.parametrize("stem, row, column, value, target", [
    ("towns", 3, "zone_id", "Z9", "zones.csv"),
    ("businesses", 4, "town_id", "T9", "towns.csv"),
    ("businesses", 5, "category_id", "C9", "categories.csv"),
    ("categories", 2, "lead_dept_id", "D9", "departments.csv"),
    ("items", 3, "dept_id", "D9", "departments.csv"),
    ("items", 3, "category_ids", "C1;C9", "categories.csv"),
    ("inspectors", 5, "zone_id", "Z3", "zones.csv"),
    ("inspectors", 5, "dept_id", "D4", "departments.csv"),
    ("unavailable", 2, "inspector_id", "P99", "inspectors.csv"),
    ("conflicts", 2, "inspector_id", "P99", "inspectors.csv"),
    ("conflicts", 2, "credit_code", credit_code(99), "businesses.csv"),
    ("history", 2, "credit_code", credit_code(98), "businesses.csv"),
    ("history", 2, "dept_id", "D7", "departments.csv"),
    ("history", 2, "inspector_ids", "P01;P77", "inspectors.csv"),
])
def test_reference_to_unknown_key(tmp_path, stem, row, column, value, target):
    p = the_problem(tmp_path, edit=cell(stem, row, column, value))
    unknown = value.split(";")[-1]
    assert (p.file, p.row, p.column, p.value) == (f"{stem}.csv", row, column, unknown)
    assert target in p.message and "找不到" in p.message


def test_hub_town_outside_its_zone(tmp_path):
    p = the_problem(tmp_path, edit=cell("zones", 2, "hub_town_id", "T3"))
    assert (p.file, p.row, p.column, p.value) == ("zones.csv", 2, "hub_town_id", "T3")
    assert "Z2" in p.message and "Z1" in p.message


def test_hub_town_unknown(tmp_path):
    p = the_problem(tmp_path, edit=cell("zones", 3, "hub_town_id", "T9"))
    assert (p.file, p.row, p.column) == ("zones.csv", 3, "hub_town_id") and "towns.csv" in p.message


@pytest.mark.parametrize("code, words", [
    ("91330822MA2000002", "长度为 17"),
    ("91330822MA20000O2" + "1", "不允许的字符 O"),
    (credit_code(2)[:17] + ("0" if credit_code(2)[17] != "0" else "1"), "校验位错误"),
])
def test_invalid_credit_code(tmp_path, code, words):
    p = the_problem(tmp_path, edit=cell("businesses", 3, "credit_code", code))
    assert (p.file, p.row, p.column, p.value) == ("businesses.csv", 3, "credit_code", code)
    assert words in p.message


@pytest.mark.parametrize("value, words", [("abc", "不是数字"), ("1.5", "0 到 1"), ("-0.1", "0 到 1"), ("150%", "0 到 1")])
def test_ratio_not_a_fraction(tmp_path, value, words):
    p = the_problem(tmp_path, chinese_headers=True, edit=cell("items", 4, "ratio_C", value))
    assert (p.file, p.row, p.column, p.value) == ("items.csv", 4, "C类抽查比例", value) and words in p.message


def test_risk_class_outside_a_to_d(tmp_path):
    p = the_problem(tmp_path, edit=cell("businesses", 6, "risk_level", "E"))
    assert (p.file, p.row, p.column, p.value) == ("businesses.csv", 6, "risk_level", "E")
    assert "A、B、C、D" in p.message


@pytest.mark.parametrize("stem, row, column, value", [
    ("history", 2, "date", "2026-13-01"),
    ("unavailable", 2, "start", "下周一"),
    ("businesses", 3, "opened_on", "2020-02-30"),
    ("history", 2, "date", "15/03/2026"),
])
def test_unparseable_date(tmp_path, stem, row, column, value):
    p = the_problem(tmp_path, edit=cell(stem, row, column, value))
    assert (p.file, p.row, p.column, p.value) == (f"{stem}.csv", row, column, value)
    assert "日期" in p.message and "YYYY-MM-DD" in p.fix


def test_absence_ending_before_it_starts(tmp_path):
    p = the_problem(tmp_path, edit=cell("unavailable", 2, "end", "2026-10-02"))
    assert (p.file, p.row, p.column, p.value) == ("unavailable.csv", 2, "end", "2026-10-02")
    assert "早于" in p.message


@pytest.mark.parametrize("stem, row, column, value", [
    ("items", 2, "minutes", "0"), ("items", 3, "minutes", "-20"), ("items", 4, "minutes", "半小时"),
    ("items", 5, "minutes", "12.5"), ("items", 2, "inspectors", "0"), ("inspectors", 3, "day_minutes", "0"),
])
def test_non_positive_or_non_integer_minutes(tmp_path, stem, row, column, value):
    p = the_problem(tmp_path, edit=cell(stem, row, column, value))
    assert (p.file, p.row, p.column, p.value) == (f"{stem}.csv", row, column, value)
    assert "整数" in p.message


@pytest.mark.parametrize("stem, row, column, value, words", [
    ("towns", 2, "lat", "北纬29度", "不是数字"), ("businesses", 7, "lon", "200", "经度"),
    ("businesses", 7, "lat", "nan", "数字"),
])
def test_coordinates_not_numbers(tmp_path, stem, row, column, value, words):
    p = the_problem(tmp_path, edit=cell(stem, row, column, value))
    assert (p.file, p.row, p.column, p.value) == (f"{stem}.csv", row, column, value) and words in p.message


def test_boolean_not_yes_or_no(tmp_path):
    p = the_problem(tmp_path, edit=cell("inspectors", 7, "certified", "也许"))
    assert (p.file, p.row, p.column, p.value) == ("inspectors.csv", 7, "certified", "也许")


def test_file_not_utf8(tmp_path):
    folder = write_dataset(tmp_path / "county")
    # GBK now loads (tests/models/test_inputs.py); Latin-1 is neither UTF-8, GBK nor UTF-16
    (folder / "departments.csv").write_bytes("dept_id,name\nD1,Café\nD2,Bureau\nD3,Pompiers\n".encode("latin-1"))
    with pytest.raises(DatasetError) as info:
        load_dataset(folder)
    [p] = info.value.problems  # not also "missing departments" nor unknown references to it
    assert (p.file, p.row) == ("departments.csv", None) and "UTF-8" in p.message and "CSV UTF-8" in p.fix


def test_several_problems_reported_at_once(tmp_path):
    def edit(tables):
        set_cell(tables, "towns", 3, "zone_id", "Z9")
        set_cell(tables, "businesses", 5, "risk_level", "X")
        set_cell(tables, "businesses", 9, "lat", "")
        set_cell(tables, "items", 2, "ratio_A", "2")
    problems = problems_of(tmp_path, edit=edit, settings={"cross_zone": "sometimes"})
    where = [(p.file, p.row, p.column) for p in problems]
    assert where == [("towns.csv", 3, "zone_id"), ("items.csv", 2, "ratio_A"), ("businesses.csv", 5, "risk_level"),
                     ("businesses.csv", 9, "lat"), ("settings.toml", 3, "cross_zone")]


def test_workbook_problems_name_the_sheet(tmp_path):
    book = write_workbook(tmp_path / "县数据.xlsx", chinese_headers=True,
                          edit=cell("businesses", 4, "risk_level", "Z"), settings={"shortlist": "lots"})
    with pytest.raises(DatasetError) as info:
        load_dataset(book)
    where = [(p.file, p.row, p.column, p.value) for p in info.value.problems]
    assert where == [("县数据.xlsx:businesses", 4, "信用风险等级", "Z"), ("县数据.xlsx:settings", 5, "value", "lots")]


def test_workbook_missing_sheet(tmp_path):
    book = write_workbook(tmp_path / "county.xlsx", edit=lambda t: t.pop("inspectors"))
    with pytest.raises(DatasetError) as info:
        load_dataset(book)
    [p] = info.value.problems
    assert p.file == "county.xlsx:inspectors" and "工作表" in p.fix


def test_broken_zip_and_unknown_path(tmp_path):
    with pytest.raises(DatasetError) as info:
        load_upload("county.zip", b"not a zip")
    assert [p.file for p in info.value.problems] == ["county.zip"]
    with pytest.raises(UserError):
        load_dataset(tmp_path / "nowhere")


def test_zip_with_a_file_twice(tmp_path):
    path = tmp_path / "twice.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a/zones.csv", "zone_id,name,hub_town_id\n")
        archive.writestr("b/zones.csv", "zone_id,name,hub_town_id\n")
    with pytest.raises(DatasetError) as info:
        load_dataset(path)
    assert [p.value for p in info.value.problems] == ["zones.csv"]


# --- settings.toml --------------------------------------------------------------------------------

@pytest.mark.parametrize("settings, column, words", [
    ({"period": "2026Q5"}, "period", "无法识别的期间"),
    ({"period": "Q4 2026"}, "period", "无法识别的期间"),
    ({"start": "2026-10-01", "end": "2026-12-31"}, "period", "同时写了"),
    ({"period": None, "start": "2026-10-01"}, "start", "缺少 end"),
    ({"period": None, "start": "2026-10-01", "end": "2026-09-01"}, "end", "早于"),
    ({"cross_zone": "sometimes"}, "cross_zone", "forbid"),
    ({"shortlist": 0}, "shortlist", "正整数"),
    ({"shortlist": "some"}, "shortlist", "正整数"),
    ({"yearly_cap": -1}, "yearly_cap", "不能小于 0"),
    ({"min_certified": -2}, "min_certified", "不能小于 0"),
    ({"time_limit_s": 0}, "time_limit_s", "大于 0"),
    ({"yearly_cap": 1.5}, "yearly_cap", "整数"),
    ({"same_zone_first": "maybe"}, "same_zone_first", "是/否"),
    ({"cross-zone": "allow"}, "cross-zone", "未知的参数"),
])
def test_settings_problem(tmp_path, settings, column, words):
    p = the_problem(tmp_path, settings=settings)
    assert p.file == "settings.toml" and p.column == column and words in p.message
    assert p.row is not None and p.row >= 1


def test_unknown_setting_suggests_the_right_key(tmp_path):
    p = the_problem(tmp_path, settings={"yaerly_cap": 3})
    assert (p.row, p.column) == (4, "yaerly_cap") and "yearly_cap" in p.fix


def test_settings_syntax_error_names_the_line(tmp_path):
    p = the_problem(tmp_path, settings='period = "2026Q4"\nseed = abc def\n')
    assert (p.file, p.row, p.value) == ("settings.toml", 2, "seed = abc def") and "TOML" in p.message


def test_settings_file_missing_or_without_period(tmp_path):
    folder = write_dataset(tmp_path / "county")
    (folder / "settings.toml").unlink()
    with pytest.raises(DatasetError) as info:
        load_dataset(folder)
    assert [p.file for p in info.value.problems] == ["settings.toml"]
    assert "period" in the_problem(tmp_path / "b", settings='seed = "x"\n').fix


def test_settings_values_and_defaults(tmp_path):
    ds = build_dataset(settings={"period": None, "start": "2026-11-01", "end": "2026-11-30", "shortlist": "all",
                                 "cross_zone": "FORBID", "time_limit_s": 5, "same_zone_first": False})
    s = ds.settings
    assert (s.start.isoformat(), s.end.isoformat(), s.period.text) == ("2026-11-01", "2026-11-30", "2026-11-01..2026-11-30")
    assert (s.shortlist, s.cross_zone, s.time_limit_s, s.same_zone_first) == (None, "forbid", 5.0, False)
    assert (s.yearly_cap, s.min_certified) == (2, 2)  # defaults
    assert len(ds.workdays) == 21


def test_settings_overrides_apply_and_are_validated(tmp_path):
    folder = write_dataset(tmp_path / "county", settings={"period": None, "start": "2026-10-01", "end": "2026-10-31"})
    ds = load_dataset(folder, settings_overrides={"period": "2026Q4", "shortlist": "5", "time_limit_s": None})
    assert (ds.settings.period.text, ds.settings.shortlist, ds.settings.time_limit_s) == ("2026Q4", 5, 60.0)
    with pytest.raises(DatasetError) as info:
        load_dataset(folder, settings_overrides={"cross_zone": "nowhere", "seeed": "x"})
    assert [(p.file, p.column) for p in info.value.problems] == [("运行参数", "cross_zone"), ("运行参数", "seeed")]


# --- summary and CLI ------------------------------------------------------------------------------

def test_summary_counts_per_zone_department_and_category():
    frames = dataset_summary(build_dataset())
    zones = frames["zones"].set_index("片区编号")
    assert zones.loc["Z1", "检查对象数"] == 7 and zones.loc["Z2", "持证人员数"] == 3
    depts = frames["departments"].set_index("部门编号")
    assert (depts.loc["D1", "抽查事项数"], depts.loc["D1", "检查人员数"], depts.loc["D1", "持证人员数"]) == (2, 3, 2)
    cats = frames["categories"].set_index("行业编号")
    assert (cats.loc["C1", "A类"], cats.loc["C1", "合计"], cats.loc["C1", "免检"]) == (2, 5, 1)
    assert frames["tables"].set_index("表").loc["检查对象", "行数"] == 12


def test_problems_frame_has_the_app_columns(tmp_path):
    problems = problems_of(tmp_path, edit=lambda t: t.pop("zones"))
    frame = problems_frame(problems)
    assert list(frame.columns) == PROBLEM_COLUMNS and frame.iloc[0]["文件"] == "zones.csv"


def test_validate_command_prints_summary_or_problems(tmp_path, capsys):
    good = write_dataset(tmp_path / "good")
    assert main(["validate", str(good)]) == 0
    out = capsys.readouterr().out
    assert "工作日 62 天" in out and "检查对象 12" in out and "按片区" in out
    bad = write_dataset(tmp_path / "bad", edit=cell("towns", 3, "zone_id", "Z9"))
    assert main(["validate", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "towns.csv 第3行 列「zone_id」" in err and "Traceback" not in err
