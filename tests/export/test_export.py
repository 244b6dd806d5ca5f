"""Exports read back with independent readers: openpyxl, icalendar's parser, pypdf."""
from __future__ import annotations

import csv
import dataclasses
import io
import re
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from icalendar import Calendar
from pypdf import PdfReader

from models.credit_code import check_character
from models.dataset import Dataset
from models.period import Period
from models.problems import UserError
from models.records import Business, Category, Department, Inspector, Item, Town, Zone
from models.settings import Settings
from planner.cli import main
from planner.export import export_plan, parse_formats
from planner.export.calendars import event_uid
from planner.export.formatting import CONFIDENTIAL, display_width
from planner.plan.folder import plan_files, write_plan_folder
from planner.plan.model import Assignment, Plan, Unscheduled, Visit
from planner.plan.record import PlanRecord

SEED = "gongshi-seed-7f3a"
PERIOD = "2026Q4"


def code(n: int) -> str:
    first17 = f"91330822MA2B{n:05d}"
    return first17 + check_character(first17)


B = {n: code(n) for n in range(1, 7)}
BUSINESS_NAMES = {1: "天马小吃店", 2: "球川加油站", 3: "辉埠饭店", 4: "紫港化工商店", 5: "同弓面馆", 6: "金川酒家"}
INSPECTOR_NAMES = {"P1": "张三", "P2": "李四", "P3": "王五", "P4": "赵六", "P5": "钱七", "P6": "孙八", "P7": "周九"}


def tiny_dataset() -> Dataset:
    """Two 片区, three towns, three departments, six businesses, seven inspectors."""
    towns = [Town("T1", "天马街道", "Z1", 28.90, 118.50), Town("T2", "球川镇", "Z1", 28.95, 118.40),
             Town("T3", "辉埠镇", "Z2", 29.00, 118.60)]
    ratios = {"A": 0.05, "B": 0.1, "C": 0.3, "D": 0.6}
    town_of = {1: "T1", 2: "T2", 3: "T3", 4: "T3", 5: "T1", 6: "T2"}
    category_of = {1: "C1", 2: "C2", 3: "C1", 4: "C2", 5: "C1", 6: "C1"}
    businesses = [Business(B[n], BUSINESS_NAMES[n], town_of[n], category_of[n], "C", 28.9 + n / 100, 118.5 + n / 100,
                           address=f"{BUSINESS_NAMES[n][:2]}路{n}号") for n in B]
    dept_of = {"P1": "D1", "P2": "D1", "P3": "D2", "P4": "D2", "P5": "D3", "P6": "D3", "P7": "D1"}
    zone_of = {"P1": "Z1", "P2": "Z1", "P3": "Z1", "P4": "Z1", "P5": "Z2", "P6": "Z2", "P7": "Z2"}
    inspectors = [Inspector(p, INSPECTOR_NAMES[p], dept_of[p], zone_of[p], True) for p in INSPECTOR_NAMES]
    return Dataset(
        zones=[Zone("Z1", "东片区", "T1"), Zone("Z2", "西片区", "T3")],
        towns=towns,
        departments=[Department("D1", "市场监管局"), Department("D2", "综合执法局"), Department("D3", "应急管理局")],
        categories=[Category("C1", "餐饮", "D1"), Category("C2", "危化品经营", "D3")],
        items=[Item("I1", "D1", "食品安全", ("C1",), ratios, 60), Item("I2", "D2", "油烟与招牌", ("C1",), ratios, 30),
               Item("I3", "D3", "危化品安全", ("C2",), ratios, 120), Item("I4", "D1", "计量器具", ("C2",), ratios, 30)],
        businesses=businesses, inspectors=inspectors,
        settings=Settings(Period.parse(PERIOD), seed=SEED),
        workdays=[date(2026, 10, 9), date(2026, 10, 12), date(2026, 11, 3), date(2026, 11, 5), date(2026, 12, 1)],
        inputs_sha256={"businesses.csv": "ab" * 32},
    )


def visit(visit_id, day, n, town, zone, category, lead, depts, items, team, minutes) -> Visit:
    return Visit(visit_id, day, B[n], BUSINESS_NAMES[n], town, zone, category, lead, depts, items, team, minutes)


VISITS = [
    # joint: 市场监管 + 综合执法
    visit("V1", date(2026, 10, 9), 1, "T1", "Z1", "C1", "D1", ("D1", "D2"), ("I1", "I2"), ("P1", "P2", "P3", "P4"), 90),
    # joint: 应急管理 (lead) + 市场监管
    visit("V2", date(2026, 10, 12), 2, "T2", "Z1", "C2", "D3", ("D3", "D1"), ("I3", "I4"), ("P5", "P6", "P1", "P2"),
          150),
    visit("V3", date(2026, 11, 3), 3, "T3", "Z2", "C1", "D1", ("D1",), ("I1",), ("P1", "P2"), 60),  # 市场监管 only
    visit("V4", date(2026, 11, 5), 4, "T3", "Z2", "C2", "D3", ("D3",), ("I3",), ("P5", "P6"), 120),  # 应急管理 only
    visit("V5", date(2026, 12, 1), 5, "T1", "Z1", "C1", "D1", ("D2",), ("I2",), ("P3", "P4"), 30),  # 综合执法 only
]
DEPT_OF = {"P1": "D1", "P2": "D1", "P3": "D2", "P4": "D2", "P5": "D3", "P6": "D3", "P7": "D1"}
EXPECTED_BY_DEPT = {"D1": {"V1", "V2", "V3"}, "D2": {"V1", "V5"}, "D3": {"V2", "V4"}}


def tiny_plan(visits=VISITS) -> Plan:
    assignments = [Assignment(v.visit_id, v.date, p, DEPT_OF[p], v.credit_code, v.town_id)
                   for v in visits for p in v.inspector_ids]
    unscheduled = [Unscheduled(B[6], ("I1",), "东片区市场监管局持证人员在可用工作日内已排满")]
    record = PlanRecord.from_json({
        "seed": SEED, "period": PERIOD, "inputs_sha256": {"businesses.csv": "ab" * 32},
        "parameters": {"cross_zone": "penalty", "shortlist": 3}, "version": "0.1.0",
        "solver": {"status": "OPTIMAL", "objective": 12, "bound": 12, "gap": 0.0, "wall_s": 0.4,
                   "time_limit_s": 10.0},
        "metrics": {"balance": [{"dept_id": "D1", "zone_id": "Z1", "inspectors": 2, "min_visits": 3,
                                 "max_visits": 3, "spread": 0, "cv": 0.0}],
                    "joint_share": 0.4},
    })
    return Plan(list(visits), assignments, unscheduled, record)


def draw_csv() -> bytes:
    rows = [("I1", "D1", 1), ("I2", "D2", 1), ("I3", "D3", 2), ("I4", "D1", 2), ("I1", "D1", 3), ("I3", "D3", 4),
            ("I2", "D2", 5), ("I1", "D1", 6)]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["item_id", "dept_id", "credit_code", "risk_level", "frame_size", "sample_size", "rank"])
    for rank, (item, dept, n) in enumerate(rows, start=1):
        writer.writerow([item, dept, B[n], "C", 10, 3, rank])
    return out.getvalue().encode("utf-8")


def write_plan(folder: Path, plan: Plan | None = None) -> Path:
    plan = plan or tiny_plan()
    write_plan_folder(folder, plan_files(plan) | {"draw.csv": draw_csv()}, plan.record)
    return folder


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("export")
    plan_dir = write_plan(root / "plan")
    out = root / "out"
    export_plan(plan_dir, tiny_dataset(), out)
    return out


# --- department workbooks ---------------------------------------------------------------------------

def sheet_records(ws) -> list[dict]:
    """Rows of a table sheet (banner in row 1, headers in row 2) as dicts."""
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    return [dict(zip(rows[0], row)) for row in rows[1:]]


def department_workbook(out: Path, dept_id: str):
    (path,) = (out / "部门").glob(f"{dept_id}_*.xlsx")
    return openpyxl.load_workbook(path)


def all_text(workbook) -> str:
    return "\n".join(str(v) for ws in workbook.worksheets for row in ws.iter_rows(values_only=True) for v in row
                     if v is not None)


@pytest.mark.parametrize("dept_id", sorted(EXPECTED_BY_DEPT))
def test_department_workbook_holds_each_of_its_visits_once_and_nothing_else(exported, dept_id):
    workbook = department_workbook(exported, dept_id)
    records = sheet_records(workbook["检查安排"])
    ids = [r["检查编号"] for r in records]
    assert sorted(ids) == sorted(EXPECTED_BY_DEPT[dept_id])
    assert all(isinstance(r["日期"], datetime) for r in records)  # real date cells, not text
    assert [r["日期"] for r in records] == sorted(r["日期"] for r in records)
    foreign = {v.visit_id for v in VISITS} - EXPECTED_BY_DEPT[dept_id]
    text = all_text(workbook)
    for v in VISITS:
        if v.visit_id in foreign:
            assert v.business_name not in text and v.credit_code not in text


def test_department_workbook_shows_the_joint_team_and_items(exported):
    records = {r["检查编号"]: r for r in sheet_records(department_workbook(exported, "D1")["检查安排"])}
    v2 = records["V2"]
    assert v2["牵头部门"] == "应急管理局"
    assert "钱七（应急管理局）" in v2["检查组"] and "张三（市场监管局）" in v2["检查组"]
    assert v2["检查事项"] == "应急管理局：危化品安全；市场监管局：计量器具"
    assert v2["片区"] == "东片区" and v2["乡镇"] == "球川镇" and v2["时长(分钟)"] == 150
    assert v2["坐标"] == "28.920000, 118.520000" and v2["地址"] == "球川路2号"


def test_department_workbook_has_a_sheet_per_active_inspector_and_a_summary(exported):
    workbook = department_workbook(exported, "D1")
    # 周九 has no visit: no sheet; 结果登记 and 填写说明 are the department's results (tests/quarter)
    assert workbook.sheetnames == ["检查安排", "结果登记", "汇总", "张三 P1", "李四 P2", "填写说明"]
    assert [r["检查编号"] for r in sheet_records(workbook["张三 P1"])] == ["V1", "V2", "V3"]
    summary = [row for row in workbook["汇总"].iter_rows(values_only=True)]
    person = {row[0]: row for row in summary if row[0] in ("P1", "P7")}
    assert person["P1"][4:6] == (3, 300) and person["P7"][4:6] == (0, 0)
    months = {row[0]: row[1:4] for row in summary if row[0] in ("2026-10", "2026-11")}
    assert months == {"2026-10": (2, 240, 4), "2026-11": (1, 60, 2)}
    assert ("东片区", 2, 240, 4) in [row[:4] for row in summary]


def test_every_sheet_is_marked_frozen_and_printable(exported):
    for path in [*(exported / "部门").glob("*.xlsx"), exported / "协调员总表.xlsx"]:
        for ws in openpyxl.load_workbook(path).worksheets:
            assert CONFIDENTIAL in ws["A1"].value, (path.name, ws.title)
            assert ws.oddHeader.center.text == CONFIDENTIAL
            assert ws.page_setup.orientation == "landscape"
            assert ws.freeze_panes in ("A2", "A3") and ws.print_title_rows in ("$1:$1", "$1:$2")


def test_column_widths_fit_chinese_text(exported):
    ws = department_workbook(exported, "D1")["检查安排"]
    headers = [c.value for c in ws[2]]
    name_column = openpyxl.utils.get_column_letter(headers.index("企业名称") + 1)
    longest = max(display_width(ws[f"{name_column}{r}"].value) for r in range(3, ws.max_row + 1))
    assert ws.column_dimensions[name_column].width >= longest


# --- coordinator's workbook --------------------------------------------------------------------------

def test_coordinator_workbook_holds_the_whole_plan(exported):
    workbook = openpyxl.load_workbook(exported / "协调员总表.xlsx")
    visits = sheet_records(workbook["检查安排"])
    assert sorted(r["检查编号"] for r in visits) == [v.visit_id for v in VISITS]
    assert len(sheet_records(workbook["人员安排"])) == sum(len(v.inspector_ids) for v in VISITS)
    draw = sheet_records(workbook["抽取结果"])
    assert len(draw) == 8 and {(r["抽取范围(家)"], r["抽取数量(家)"]) for r in draw} == {(10, 3)}
    unscheduled_row = next(r for r in draw if r["统一社会信用代码"] == B[6])
    assert unscheduled_row["安排日期"] == "未安排"
    (missing,) = sheet_records(workbook["未安排"])
    assert missing["企业名称"] == "金川酒家" and "已排满" in missing["原因"]
    (balance,) = sheet_records(workbook["均衡指标"])
    assert balance["部门编号"] == "D1" and balance["部门"] == "市场监管局" and balance["片区"] == "东片区"
    overview = {r["项目"]: r["内容"] for r in sheet_records(workbook["概况"])}
    assert overview["随机种子"] == SEED and overview["指标：多部门联合检查占比"] == 0.4
    # words only: no solver status, no raw objective, no JSON, no setting or metric named by its code
    shown = [str(r[k]) for r in sheet_records(workbook["概况"]) for k in ("项目", "内容")]
    assert not [w for w in shown if re.search(r"OPTIMAL|FEASIBLE|目标值|[{}\[\]]", w)]
    words = {w for text in shown for w in re.findall(r"(?<![A-Za-z0-9])[A-Za-z][A-Za-z0-9_.\-]*", text)}
    codes = re.compile(r"\d|\.(csv|toml)$|^[0-9a-f]{32,}$")  # codes, digests, file names
    assert {w for w in words if not codes.search(w)} <= {"SHA"}


# --- calendars ----------------------------------------------------------------------------------------

def read_calendars(out: Path) -> dict[str, Calendar]:
    return {p.name.split("_")[0]: Calendar.from_ical(p.read_bytes()) for p in (out / "日历").glob("*.ics")}


def test_each_calendar_equals_the_inspectors_assignments(exported):
    calendars = read_calendars(exported)
    assert set(calendars) == {"P1", "P2", "P3", "P4", "P5", "P6"}  # P7 has no assignment, no file
    for inspector_id, calendar in calendars.items():
        for prop in ("PRODID", "VERSION", "CALSCALE", "X-WR-CALNAME"):
            assert calendar.get(prop), prop
        events = calendar.walk("VEVENT")
        mine = [v for v in VISITS if inspector_id in v.inspector_ids]
        assert sorted(e.decoded("DTSTART") for e in events) == sorted(v.date for v in mine)
        assert all(type(e.decoded("DTSTART")) is date for e in events)  # all-day events
        assert {str(e["UID"]) for e in events} == {event_uid(PERIOD, v.credit_code, inspector_id) for v in mine}
    p1 = {str(e["SUMMARY"]): e for e in calendars["P1"].walk("VEVENT")}
    event = p1["检查：球川加油站"]
    assert "球川镇" in str(event["LOCATION"]) and "球川路2号" in str(event["LOCATION"])
    assert (event["GEO"].latitude, event["GEO"].longitude) == pytest.approx((28.92, 118.52), abs=1e-6)
    description = str(event["DESCRIPTION"])
    assert "应急管理局：危化品安全" in description and "钱七（应急管理局）" in description


def test_uids_are_unique_and_stay_when_a_visit_moves(tmp_path, exported):
    moved = [dataclasses.replace(v, date=date(2026, 10, 13)) if v.visit_id == "V2" else v for v in VISITS]
    export_plan(write_plan(tmp_path / "plan", tiny_plan(moved)), tiny_dataset(), tmp_path / "out", ["ics"])
    before, after = read_calendars(exported), read_calendars(tmp_path / "out")
    for inspector_id in before:
        uids_before = [str(e["UID"]) for e in before[inspector_id].walk("VEVENT")]
        assert len(uids_before) == len(set(uids_before))
        dates_after = {str(e["UID"]): e.decoded("DTSTART") for e in after[inspector_id].walk("VEVENT")}
        assert set(dates_after) == set(uids_before)
    uid = event_uid(PERIOD, B[2], "P5")
    assert {str(e["UID"]): e.decoded("DTSTART") for e in after["P5"].walk("VEVENT")}[uid] == date(2026, 10, 13)


# --- the public notice --------------------------------------------------------------------------------

def assert_public(text: str) -> None:
    """No inspector and no visit date may leak into the public notice."""
    for name in INSPECTOR_NAMES.values():
        assert name not in text
    for inspector_id in INSPECTOR_NAMES:
        assert not re.search(rf"\b{inspector_id}\b", text)
    for v in VISITS:
        assert v.date.isoformat() not in text and f"{v.date.month}月{v.date.day}日" not in text


def test_notice_csv_lists_the_draw_and_nothing_private(exported):
    raw = (exported / "公示" / "抽查公示.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel opens the Chinese text correctly
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert sorted((r["统一社会信用代码"], r["事项编号"]) for r in rows) == sorted(
        (r["credit_code"], r["item_id"]) for r in csv.DictReader(io.StringIO(draw_csv().decode())))
    assert {r["随机种子"] for r in rows} == {SEED}
    assert {r["企业名称"] for r in rows} == set(BUSINESS_NAMES.values())
    assert_public(raw.decode("utf-8-sig"))


def test_notice_html_tells_how_to_verify(exported):
    page = (exported / "公示" / "抽查公示.html").read_text(encoding="utf-8")
    assert SEED in page and "python -m planner verify" in page and "docs/draw.md" in page
    assert all(name in page for name in BUSINESS_NAMES.values())
    assert_public(page)


def test_notice_pdf_text_has_seed_and_businesses_but_no_inspector(exported):
    reader = PdfReader(exported / "公示" / "抽查公示.pdf")
    # pypdf splits the 2-byte codes of fpdf2's CFF (Noto CJK) fonts and yields a NUL before each character;
    # the text itself is right (poppler reads it cleanly: tests/test_export_office.py), so drop the NULs.
    text = re.sub(r"[\s\x00]+", "", "".join(page.extract_text() for page in reader.pages))
    assert SEED in text
    assert all(name in text for name in BUSINESS_NAMES.values())
    assert all(B[n] in text for n in B)
    assert_public(text)


def test_missing_font_is_a_clear_message(tmp_path, monkeypatch):
    import planner.export.notice_pdf as notice_pdf
    monkeypatch.setattr(notice_pdf, "FONT_DIRS", (str(tmp_path),))
    with pytest.raises(UserError, match="fonts-noto-cjk"):
        export_plan(write_plan(tmp_path / "plan"), tiny_dataset(), tmp_path / "out", ["pdf"])
    assert not (tmp_path / "out").exists()  # atomic: nothing half-written


# --- the run as a whole --------------------------------------------------------------------------------

def test_reexport_is_byte_identical(tmp_path, exported):
    export_plan(write_plan(tmp_path / "plan"), tiny_dataset(), tmp_path / "again")
    first = {p.relative_to(exported): p.read_bytes() for p in exported.rglob("*") if p.is_file()}
    second = {p.relative_to(tmp_path / "again"): p.read_bytes() for p in (tmp_path / "again").rglob("*") if p.is_file()}
    visits = len(tiny_plan().visits)  # per visit a notice and a checklist, HTML and PDF; one PDF of each kind,
    per_visit = 4 * visits + 2 + 2  # 检查码.csv and 承诺链.json (this plan predates 检查码: no 检查码核验.html)
    assert set(first) == set(second) and len(first) == 3 + 1 + 6 + 3 + 1 + per_visit  # and the tool's marker
    assert [name for name in first if first[name] != second[name]] == []


def test_cli_export_writes_the_chosen_formats(tmp_path, monkeypatch, capsys):
    # the real loader is tested on its own
    monkeypatch.setattr("planner.cli.export.load_dataset", lambda path: tiny_dataset())
    plan_dir = write_plan(tmp_path / "plan")
    code = main(["export", str(plan_dir), "--data", str(tmp_path / "data"), "--out", str(tmp_path / "out"),
                 "--format", "notice,ics"])
    assert code == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [".inspection-planner", "公示", "日历"]
    assert "已导出 8 个文件" in capsys.readouterr().out
    assert main(["export", str(plan_dir), "--data", "x", "--out", str(tmp_path / "o2"), "--format", "docx"]) == 1
    assert "--format" in capsys.readouterr().err


def test_output_folder_never_replaces_other_files(tmp_path):
    plan_dir = write_plan(tmp_path / "plan")
    with pytest.raises(UserError, match="就是输入"):
        export_plan(plan_dir, tiny_dataset(), plan_dir)
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me")
    with pytest.raises(UserError, match="notes.txt"):
        export_plan(plan_dir, tiny_dataset(), tmp_path / "mine")
    assert (tmp_path / "mine" / "notes.txt").read_text() == "keep me"


def test_plan_from_another_dataset_is_refused(tmp_path):
    dataset = tiny_dataset()
    dataset.businesses = dataset.businesses[1:]
    with pytest.raises(UserError, match=B[1]):
        export_plan(write_plan(tmp_path / "plan"), dataset, tmp_path / "out")


def test_format_list_is_checked_and_ordered():
    assert parse_formats("pdf, xlsx,pdf") == ["xlsx", "pdf"]
    with pytest.raises(UserError):
        parse_formats("xlsx,csv")
