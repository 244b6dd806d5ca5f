"""结果登记: what departments found, read from their filled-in workbooks or a results CSV, checked against the
plan and merged into the plan's results.csv.

Every row of every file is checked before anything is merged: one bad row refuses the whole import, each
problem named by file (sheet), row and column. Rows are merged by (visit, item): a row equal to what is
recorded changes nothing — importing the same file twice changes nothing — and a different one replaces it (a
correction). Each file that changed something gets a line in results_log.csv (who, when, which file), and the
import one link in the plan's commitment chain.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path

from models.dataset import Dataset
from models.loading.limits import Refused
from models.loading.tables import ParsedTable, RawTable, Row, parse_table
from models.loading.text import read_csv_table
from models.loading.workbook import WORKBOOK_SUFFIXES, open_workbook
from models.period import Period
from models.problems import Problem, UserError
from models.records import PENDING, RECTIFY, LogEntry, Result
from models.schema import RESULTS
from planner.draw.files import read_draw
from planner.output import holding_folder, printable, read_csv_rows
from planner.plan import commitment
from planner.plan.folder import LOG_FILE, RESULTS_FILE, plan_files, read_plan, write_plan_folder
from planner.plan.model import Plan, Visit
from planner.plan.record import RECORD_FILE
from planner.quarter.teams import UNCHECKED_WITHOUT_DATA, TeamChange, TeamFacts

RESULT_SHEET = "结果登记"  # the sheet of a department workbook that the department fills in
DEPT_PROPERTY = "部门编号"  # the workbook's custom document property naming its department
PLAN_PROPERTY = "方案承诺值"  # … and the commitment of the plan (the chain's last link) it was exported from
MAX_RECTIFY_DAYS = 365  # a 整改期限 lies within this many days of the check
ENTRY_COLUMNS = ("checked_on", "result", "disposal", "rectify_by", "note")  # a row with none of them is not filled in


class ResultsRefused(UserError):
    """An import with bad rows: nothing merged, every problem listed."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"结果导入有 {len(problems)} 处问题，未合并任何结果。改正后请重新导入全部文件：\n{lines}")


@dataclass(frozen=True)
class PlanFacts:
    """What a result row is checked against: the plan's visits, each item's department, the known inspectors;
    read from a plan folder (PlanFacts.of), also the teams (planner.quarter.teams), the plan's period and its
    commitment chain."""
    visits: dict[str, Visit]
    item_dept: dict[str, str]
    inspectors: frozenset[str]
    teams: TeamFacts | None = None
    period: Period | None = None
    chain: list[dict] = field(default_factory=list)

    @classmethod
    def of(cls, folder: str | Path, plan: Plan, dataset: Dataset | None = None) -> PlanFacts:
        """From the plan folder (draw.csv names each drawn item's department, inspector_orders.csv every
        drawable officer), and from the dataset when given."""
        assert plan.record is not None  # read_plan always reads it
        item_dept = {p.item_id: p.dept_id for p in read_draw(folder)}
        people = {a.inspector_id for a in plan.assignments}
        people |= {row["inspector_id"] for row in read_csv_rows(Path(folder) / "inspector_orders.csv")}
        if dataset is not None:
            item_dept |= {i.item_id: i.dept_id for i in dataset.items}
            people |= set(dataset.inspector)
        return cls({v.visit_id: v for v in plan.visits}, item_dept, frozenset(people), TeamFacts.of(folder, plan, dataset),
                   plan.record.period, plan.record.commitment_chain)

    def dept_of(self, visit: Visit, item_id: str) -> str | None:
        """The item's department; for an item the draw never named, the visit's department when it has one."""
        return self.item_dept.get(item_id) or (visit.dept_ids[0] if len(visit.dept_ids) == 1 else None)

    @property
    def dept_ids(self) -> set[str]:
        return {d for v in self.visits.values() for d in v.dept_ids}


@dataclass
class ResultFile:
    label: str  # file name, or "file name:sheet"
    sha256: str
    dept_id: str | None  # whose workbook it is; None: a coordinator's file, rows of any department
    rows: list[tuple[int, Result]] = field(default_factory=list)  # (row number, result) of the filled-in rows
    team_changes: dict[tuple[str, str], TeamChange] = field(default_factory=dict)  # (visit, item) -> deviation
    superseded: bool = False  # a department workbook of the plan before a re-plan (its rows checked for moves)


@dataclass
class Merged:
    results: list[Result]
    entries: list[LogEntry]  # one per file that added or changed something
    republish: list[Result]  # published before and now different: to be corrected on the publicity system
    team_changes: list[TeamChange] = field(default_factory=list)  # of the rows added or changed


@dataclass
class ImportReport:
    added: int
    changed: int
    entries: list[LogEntry]
    republish: list[Result]
    plan: Plan  # as it stands after the import
    team_changes: list[TeamChange] = field(default_factory=list)  # teams other than planned, kept the rules
    notes: list[str] = field(default_factory=list)  # what the coordinator should know (in words)

    @property
    def changed_anything(self) -> bool:
        return bool(self.entries)


def import_results(folder: str | Path, paths: list[str | Path], *, today: date, user: str, now: datetime,
                   dept_id: str | None = None, dataset: Dataset | None = None) -> ImportReport:
    """Check every row of `paths` and merge them into the plan in `folder` — or refuse them all (ResultsRefused).

    `dept_id` says the files come from that department (a workbook names its own); `today` bounds the check
    dates; `user` and `now` go into the log.
    """
    with holding_folder(folder):  # read, merge and write back as one step: another import waits for this one
        plan = read_plan(folder)
        facts = PlanFacts.of(folder, plan, dataset)
        if dept_id is not None and dept_id not in facts.dept_ids:
            raise UserError(f"--dept {dept_id} 不是本方案中的部门（方案中的部门：{'、'.join(sorted(facts.dept_ids))}）")
        problems: list[Problem] = []
        files = [f for path in paths if (f := read_result_file(Path(path), facts, today, dept_id, problems))]
        problems += conflicting_rows(files)
        if problems:
            raise ResultsRefused(problems)
        merged = merge_results(plan.results, files, user, now)
        if merged.entries:
            plan.results, plan.results_log = merged.results, [*plan.results_log, *merged.entries]
            save_results(folder, plan, commitment.results_event([e.source_sha256 for e in merged.entries]))
    return ImportReport(sum(e.added for e in merged.entries), sum(e.changed for e in merged.entries),
                        merged.entries, merged.republish, plan, merged.team_changes, import_notes(facts, files))


def import_notes(facts: PlanFacts, files: list[ResultFile]) -> list[str]:
    notes = [f"{f.label} 导出自重新排程之前的方案：已按当前方案逐行核对，计划日期未变的检查已导入" for f in files if f.superseded]
    if facts.teams is not None and facts.teams.dataset is None:
        notes.append(UNCHECKED_WITHOUT_DATA)
    return notes


# --- reading and checking ---------------------------------------------------------------------------

def read_result_file(path: Path, facts: PlanFacts, today: date, dept_id: str | None,
                     problems: list[Problem]) -> ResultFile | None:
    """The filled-in rows of one results CSV or department workbook; problems are added to `problems`."""
    try:
        data = path.read_bytes()
    except OSError as error:
        problems.append(Problem(path.name, None, None, str(path), f"无法读取文件（{error.strerror}）", "请检查文件路径"))
        return None
    raw: RawTable | None = None
    owner, exported_from = dept_id, None
    if path.suffix.lower() == ".csv":
        raw, found = read_csv_table(path.name, data)
        problems += found
    elif path.suffix.lower() in WORKBOOK_SUFFIXES:
        raw, owner, exported_from = workbook_table(path.name, data, dept_id, problems)
    else:
        problems.append(Problem(path.name, None, None, "", "只能导入 .csv 结果表或部门工作簿（.xlsx、.xls、.et、.ods）",
                                "请提交导出的部门工作簿，或按 results.csv 的列填写的 CSV 文件"))
    if raw is None:
        return None
    out = ResultFile(raw.label, hashlib.sha256(data).hexdigest(), owner)
    if exported_from is not None:
        out.superseded = superseded(raw.label, exported_from, facts.chain, problems)
    table = parse_table(RESULTS, raw)
    filled = [row for row in table.rows if any(table.cell(row, name) for name in ENTRY_COLUMNS)]
    for row in filled:
        result = checked_result(table, row, facts, today, out)
        if result is not None:
            out.rows.append((row.number, result))
    numbers = {table.header_row} | {row.number for row in filled}
    mine = [p for p in table.reported() if p.row is None or p.row in numbers]  # an unfilled row is no error
    problems += sorted(mine, key=lambda p: p.row or 0)
    return out


def workbook_table(name: str, data: bytes, dept_id: str | None,
                   problems: list[Problem]) -> tuple[RawTable | None, str | None, str | None]:
    """The 结果登记 sheet of a department workbook, the department it belongs to (its custom property
    部门编号, which .xls and .et files re-saved by WPS do not keep readable: then --dept decides) and the
    commitment of the plan it was exported from (方案承诺值; None when the workbook does not say)."""
    try:
        with open_workbook(name, data) as book:
            properties = book.custom_properties or {}
            owner, exported_from = properties.get(DEPT_PROPERTY), properties.get(PLAN_PROPERTY)
            if RESULT_SHEET not in book.sheet_names:
                problems.append(Problem(name, None, None, "", f"工作簿中没有「{RESULT_SHEET}」工作表",
                                        f"请在导出的部门工作簿（部门/<部门编号>_<部门名称>.xlsx）的「{RESULT_SHEET}」表中填写后提交"))
                return None, owner, exported_from
            rows = book.rows(RESULT_SHEET)
    except Refused as why:
        problems.append(Problem(name, None, None, why.value, why.message, why.fix))
        return None, None, None
    if dept_id is not None and owner is not None and owner != dept_id:
        problems.append(Problem(name, None, None, owner, f"这是部门 {owner} 的工作簿，与 --dept {dept_id} 不符",
                                "请核对提交的文件，或去掉 --dept"))
    return RawTable(f"{name}:{RESULT_SHEET}", rows), owner or dept_id, exported_from


def superseded(label: str, exported_from: str, chain: list[dict], problems: list[Problem]) -> bool:
    """Whether the workbook comes from this plan before a re-plan (its link, then a re-plan, in the chain). A
    workbook of another plan (its commitment nowhere in the chain) is refused."""
    values = [link.get("commitment") for link in chain]
    if exported_from not in values:
        problems.append(Problem(label, None, None, exported_from, "这个工作簿不是从本方案导出的（工作簿记录的方案承诺值不在本方案的承诺链中）",
                                "请用本方案导出的部门工作簿（export 命令的 部门/ 文件夹）填写后提交"))
        return False
    later = chain[values.index(exported_from) + 1:]
    return any(commitment.event_kind(link.get("event", "")) == "replan" for link in later)


def checked_result(table: ParsedTable, row: Row, facts: PlanFacts, today: date, file: ResultFile) -> Result | None:
    """The row as a Result when every cell is readable and it fits the plan; otherwise None, problems added.
    A team other than the planned one that keeps the rules goes into `file.team_changes`."""
    before = table.problem_count  # every problem, also those only counted past the first of their kind
    v = row.values
    if any(c.name not in v for c in RESULTS.columns):
        return None  # a cell that could not be read is already reported
    visit = facts.visits.get(v["visit_id"])
    if visit is None:
        table.problem(row, "visit_id", v["visit_id"], "方案中没有这个检查编号",
                      "请核对检查编号（部门工作簿中的检查编号和事项编号请勿改动）")
        return None
    if file.superseded and v["planned_on"] is not None and v["planned_on"] != visit.date:
        table.problem(row, "planned_on", table.cell(row, "planned_on"),
                      f"该检查在重新排程后已改到 {visit.date.isoformat()}（这个工作簿来自重新排程之前的方案）",
                      "请用当前方案重新导出的部门工作簿填写这一行")
        return None
    check_item(table, row, facts, visit, file.dept_id)
    check_dates(table, row, visit, today, facts.period)
    unknown = [p for p in v["inspector_ids"] if p not in facts.inspectors]
    if unknown:
        table.problem(row, "inspector_ids", table.cell(row, "inspector_ids"),
                      f"人员编号 {'、'.join(unknown)} 不在执法检查人员名录中",
                      "请填写人员编号（不是姓名），多人用英文分号 ; 分隔；方案外的人员（如协管员），导入时请加 --data 数据集")
    elif facts.teams is not None and (dept := facts.dept_of(visit, v["item_id"])) is not None:
        check_team(table, row, facts.teams, visit, dept, file)
    if table.problem_count > before:
        return None
    return Result(v["visit_id"], v["item_id"], v["checked_on"], v["result"], v["disposal"], v["rectify_by"],
                  v["inspector_ids"], v["note"])


def check_team(table: ParsedTable, row: Row, teams: TeamFacts, visit: Visit, dept_id: str, file: ResultFile) -> None:
    team, day = row.values["inspector_ids"], row.values["checked_on"]
    for words in teams.problems(visit, dept_id, team, day):
        table.problem(row, "inspector_ids", table.cell(row, "inspector_ids"), words,
                      "请填写当天到场的人员编号（多人用英文分号 ; 分隔）；本部门至少要有规定人数的持证执法人员")
    change = teams.change(visit, row.values["item_id"], dept_id, team)
    if change is not None:
        file.team_changes[visit.visit_id, row.values["item_id"]] = change


def check_item(table: ParsedTable, row: Row, facts: PlanFacts, visit: Visit, dept_id: str | None) -> None:
    item_id = row.values["item_id"]
    if item_id not in visit.item_ids:
        table.problem(row, "item_id", item_id,
                      f"该事项不属于检查 {visit.visit_id}（该次检查的事项：{'、'.join(visit.item_ids)}）", "请核对事项编号")
        return
    owner = facts.dept_of(visit, item_id)
    if dept_id is not None and owner != dept_id:
        by = f"部门 {owner} " if owner else "其他部门"
        table.problem(row, "item_id", item_id, f"该事项由{by}实施，不能由部门 {dept_id} 填报",
                      "请删除这一行，由实施部门在自己的工作簿中填报")


def check_dates(table: ParsedTable, row: Row, visit: Visit, today: date, period: Period | None) -> None:
    checked, result, disposal = row.values["checked_on"], row.values["result"], row.values["disposal"]
    rectify_by = row.values["rectify_by"]
    shown = table.cell(row, "checked_on")
    if checked < visit.date:
        table.problem(row, "checked_on", shown, f"检查日期早于该次检查的计划日期 {visit.date.isoformat()}",
                      "请填写实际检查日期；检查提前的，请先请协调员调整计划")
    if checked > today:
        table.problem(row, "checked_on", shown, f"检查日期晚于今天（{today.isoformat()}）", "请填写已经完成的检查的实际日期")
    elif period is not None and checked > period.end:
        table.problem(row, "checked_on", shown, f"检查日期晚于本方案的期间（{period.label}，至 {period.end.isoformat()}）",
                      "请填写实际检查日期；期间结束后才做的检查，请记入下一期的方案")
    if disposal == RECTIFY and rectify_by is None:
        example = max(checked, today) + timedelta(days=30)  # an example ahead of the check and of today
        table.problem(row, "rectify_by", "", f"后续处置为{RECTIFY}时必须填写整改期限",
                      f"请填写整改期限，例如 {example.isoformat()}")
    elif rectify_by is not None and disposal != RECTIFY and result != PENDING:
        table.problem(row, "rectify_by", table.cell(row, "rectify_by"),
                      f"只有后续处置为{RECTIFY}、或检查结果为{PENDING}时才填写整改期限",
                      f"请删除整改期限，或把后续处置改为{RECTIFY}")
    elif rectify_by is not None and rectify_by < checked:
        table.problem(row, "rectify_by", table.cell(row, "rectify_by"), "整改期限早于检查日期", "请填写检查日期之后的整改期限")
    elif rectify_by is not None and rectify_by > checked + timedelta(days=MAX_RECTIFY_DAYS):
        latest = checked + timedelta(days=MAX_RECTIFY_DAYS)
        table.problem(row, "rectify_by", table.cell(row, "rectify_by"),
                      f"整改期限超出检查日期后 {MAX_RECTIFY_DAYS} 天（应在 {checked.isoformat()} 至 {latest.isoformat()} 之间）",
                      "请核对整改期限（年份是否写错）；确需更长的，请在备注中写明，整改期限填这一范围内的日期")


def conflicting_rows(files: list[ResultFile]) -> list[Problem]:
    """Two rows for one (visit, item) that say different things, in one file or across files."""
    seen: dict[tuple[str, str], tuple[str, int, Result]] = {}
    problems = []
    for f in files:
        for number, result in f.rows:
            key = (result.visit_id, result.item_id)
            if key in seen and seen[key][2] != result:
                label, first, _ = seen[key]
                problems.append(Problem(f.label, number, None, f"{result.visit_id} {result.item_id}",
                                        f"与 {label} 第{first}行是同一检查事项，但填写的内容不同", "只保留正确的一行"))
            seen.setdefault(key, (f.label, number, result))
    return problems


# --- merging and saving -----------------------------------------------------------------------------

def merge_results(recorded: list[Result], files: list[ResultFile], user: str, now: datetime) -> Merged:
    """`recorded` with the files' rows merged in by (visit, item), sorted so the same results give the same bytes."""
    by_key = {(r.visit_id, r.item_id): r for r in recorded}
    entries, republish, team_changes = [], [], []
    for f in files:
        added = changed = 0
        teams = []
        for _, new in f.rows:
            key = (new.visit_id, new.item_id)
            old = by_key.get(key)
            if old is not None and old.same_finding(new):
                continue
            if old is None:
                added += 1
            else:
                changed += 1
                if old.published_on is not None:
                    republish.append(new)
            by_key[key] = new
            if key in f.team_changes:
                teams.append(f.team_changes[key])
        if added or changed:
            entries.append(LogEntry(now.isoformat(timespec="seconds"), printable(user), f.label, f.sha256, added,
                                    changed, ";".join(c.key for c in teams)))
            team_changes += teams
    return Merged(sorted(by_key.values(), key=lambda r: (r.visit_id, r.item_id)), entries, republish, team_changes)


def save_results(folder: str | Path, plan: Plan, event: str) -> None:
    """The plan's results.csv and results_log.csv written back into `folder` (every other file as it is), whole
    and atomically, with one more link in the commitment chain. The caller holds the folder (holding_folder)
    since it read `plan`, so nothing written meanwhile is lost."""
    folder = Path(folder)
    foreign = sorted(p.name for p in folder.iterdir() if not p.is_file())
    if foreign:
        raise UserError(f"方案文件夹 {folder} 中有子文件夹（{'、'.join(foreign)}），不是程序生成的；"
                        f"写回结果会整体替换该文件夹，请先把它们移到别处")
    assert plan.record is not None  # read_plan always reads it
    files = {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.name != RECORD_FILE}
    rendered = plan_files(plan)
    files |= {name: rendered[name] for name in (RESULTS_FILE, LOG_FILE)}
    plan.record = replace(plan.record, commitment_chain=commitment.extend(plan.record.commitment_chain, event, files))
    write_plan_folder(folder, files, plan.record)
