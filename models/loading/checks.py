"""Pass 3, across rows and tables: unique keys, references that exist, a hub town in its own 片区, dates in order;
and the tables a source lacks or holds under another name."""
from __future__ import annotations

import difflib

from models.loading.sources import Source
from models.loading.tables import ParsedTable, normal_name, resembling_table
from models.problems import Problem
from models.records import RISK_LEVELS, Rate
from models.schema import TABLES, Table


def check_keys(table: ParsedTable) -> None:
    key = table.spec.key
    if not key or any(name not in table.columns for name in key):
        return
    seen: dict[tuple, int] = {}
    for row in table.rows:
        if any(name not in row.values for name in key):
            continue  # an empty or unreadable key is reported on its own, not also as a duplicate
        value = tuple(row.values[name] for name in key)
        if value in seen:
            what = "、".join(table.spec.column(n).aliases[0] for n in key)
            shown = ";".join(table.cell(row, name) for name in key)
            table.problem(row, key[-1], shown, f"{what}重复（第 {seen[value]} 行已有）",
                          "删除重复的行，或改用不同的编号")
        else:
            seen[value] = row.number


def check_references(table: ParsedTable, tables: dict[str, ParsedTable]) -> None:
    for column in table.spec.columns:
        target = tables.get(column.ref) if column.ref else None
        if target is None or column.name not in table.columns:
            continue  # the missing table or column is reported once, not on every row that points at it
        target_key = target.spec.key[0]
        if target_key not in target.columns or not target.rows:
            continue  # likewise a table without its key column or without rows
        known = target.keys(target_key)
        fix = "改为 {label} 中已有的编号，或在那里补上 {ref}"
        if any(target_key not in r.values for r in target.rows):  # e.g. a code Excel made a number
            fix = "先改正 {label} 中无法读取的编号（见上），再看是否仍找不到；否则" + fix
        label = target.raw.label
        names = DepartmentNames(target) if column.ref == "departments" else None
        for row in table.rows:
            value = row.values.get(column.name)
            for ref in (value if isinstance(value, tuple) else (value,)):
                if ref is not None and ref not in known:
                    if names is not None:
                        table.problem(row, column.name, ref, f"{column.aliases[0]}在 {label} 中找不到（编号、全称、"
                                      "简称都对不上）", names.fix(ref))
                    else:
                        table.problem(row, column.name, ref, f"{column.aliases[0]}在 {label} 中找不到",
                                      fix.format(label=label, ref=ref))


class DepartmentNames:
    """A department as lists name it: its id, its full name, a 简称 from departments.csv, or the unique end of a
    full name ('市场监督管理局' for 常山县市场监督管理局; '市烟草专卖局' for 长治市烟草专卖局)."""

    SUFFIX_CHARS = 3  # '局' or '卫健' alone would fit too many departments

    def __init__(self, departments: ParsedTable):
        self.label = departments.raw.label
        self.names: dict[str, str] = {}  # id -> full name
        self.exact: dict[str, set[str]] = {}  # folded id, name or 简称 -> ids
        for row in departments.rows:
            dept_id, name = row.values.get("dept_id"), row.values.get("name")
            if dept_id is None:
                continue
            self.names[dept_id] = name or dept_id
            for word in (dept_id, name, *row.values.get("short_names", ())):
                if word:
                    self.exact.setdefault(normal_name(word), set()).add(dept_id)

    def find(self, text: str) -> set[str]:
        """The ids `text` may name (none, one, or several when it is ambiguous)."""
        key = normal_name(text)
        if key in self.exact:
            return self.exact[key]
        if len(key) < self.SUFFIX_CHARS:
            return set()
        return {d for d, name in self.names.items()
                if normal_name(name).endswith(key) or key.endswith(normal_name(name))}

    def fix(self, text: str) -> str:
        names = {normal_name(n): n for n in self.names.values()}
        close = difflib.get_close_matches(normal_name(text), names, n=1, cutoff=0.4)
        hint = f"最接近的是「{names[close[0]]}」；" if close else ""
        return (f"{hint}改为 {self.label} 中已有的部门编号或部门全称；常用的简称（如 市场监管局）可写在 {self.label} "
                "的「简称」列（多个用 ; 分隔）")


def resolve_departments(tables: dict[str, ParsedTable]) -> None:
    """Every column that names a department (an item's implementing and joining departments, a category's lead,
    an inspector's, a past check's) may give its id or its name: names become ids here, before references are
    checked; a name that fits several departments is refused naming them."""
    departments = tables.get("departments")
    if departments is None or "dept_id" not in departments.columns:
        return
    names = DepartmentNames(departments)
    for table in tables.values():
        for column in table.spec.columns:
            if column.ref != "departments" or column.name not in table.columns:
                continue
            for row in table.rows:
                value = row.values.get(column.name)
                if isinstance(value, tuple):
                    found = (_dept_id(table, row, column.name, v, names) for v in value)
                    row.values[column.name] = tuple(dict.fromkeys(d for d in found if d is not None))
                elif value is not None and (dept_id := _dept_id(table, row, column.name, value, names)) is not None:
                    row.values[column.name] = dept_id
                elif value is not None:
                    del row.values[column.name]  # reported: not also as a reference not found


def _dept_id(table: ParsedTable, row, name: str, text: str, names: DepartmentNames) -> str | None:
    """The id `text` names; `text` itself when it names none (check_references reports it); None, reported,
    when it fits several."""
    if text in names.names:
        return text
    found = names.find(text)
    if len(found) == 1:
        return next(iter(found))
    if len(found) > 1:
        shown = "、".join(f"{d}（{names.names[d]}）" for d in sorted(found))
        table.problem(row, name, text, f"部门「{text}」对应多个部门：{shown}", "改写部门编号或部门全称")
        return None
    return text


def joining_departments(items: ParsedTable) -> None:
    """配合部门: the item's own department is not also a joining one (a list may repeat it)."""
    for row in items.rows:
        joining = row.values.get("co_dept_ids")
        if joining:
            row.values["co_dept_ids"] = tuple(d for d in joining if d != row.values.get("dept_id"))


def item_rates(items: ParsedTable) -> None:
    """Each item's 抽查比例 per credit-risk class (row.values['rates']): its class column, else the one 抽查比例
    column for every class (a note says so), else 抽查户数 as a fixed sample size."""
    general = [n for n in ("ratio", "sample_count") if n in items.columns]
    missing = [r for r in RISK_LEVELS if f"ratio_{r}" not in items.columns]
    if missing and not general:
        if items.columns:  # a table whose header was not found is reported once, already
            items.problems.append(Problem(
                items.raw.label, items.header_row, None, "",
                f"缺少抽查比例：没有 {'、'.join(f'{r}类抽查比例' for r in missing)} 列",
                "加一列「抽查比例」（各信用风险等级相同，可写 5%、不低于5%、3%;2次/年），或按等级分列 "
                "A类抽查比例 … D类抽查比例"))
        return
    copied: set[str] = set()
    for row in items.rows:
        if any(name in items.columns and name not in row.values
               for name in (*general, *(f"ratio_{r}" for r in RISK_LEVELS))):
            continue  # a cell that did not parse is reported on its own
        rates: dict[str, Rate] = {}
        for risk_level in RISK_LEVELS:
            rate = row.values.get(f"ratio_{risk_level}")
            if rate is None and (rate := row.values.get("ratio")) is not None:
                copied.add(risk_level)
            if rate is None and row.values.get("sample_count") is not None:
                rate = Rate(None, row.values["sample_count"])
                copied.add(risk_level)
            if rate is None:
                items.problem(row, f"ratio_{risk_level}" if f"ratio_{risk_level}" in items.columns else general[0],
                              "", f"缺少{risk_level}类抽查比例", "请填写抽查比例，例如 5% 或 3%;2次/年")
            else:
                rates[risk_level] = rate
        row.values["rates"] = rates
    if copied:
        column = items.title("ratio") if "ratio" in items.columns else items.title("sample_count")
        classes = "、".join(r for r in RISK_LEVELS if r in copied)
        items.notes.append(Problem(items.raw.label, None, column, "",
                                   f"「{column}」一列用于 {classes} 类信用风险等级（每类按同一比例分别抽取）",
                                   "如果各等级比例不同，请分列 A类抽查比例 … D类抽查比例"))


def check_hubs(zones: ParsedTable, towns: ParsedTable | None) -> None:
    """A hub town (中心镇) must exist and lie in its own zone."""
    if towns is None or not towns.rows or not {"town_id", "zone_id"} <= towns.columns.keys():
        return  # towns' own problem is reported there
    zone_of = {towns.cell(r, "town_id"): towns.cell(r, "zone_id") for r in towns.rows}
    for row in zones.rows:
        hub, zone = row.values.get("hub_town_id"), row.values.get("zone_id")
        if hub is None or zone is None:
            continue
        if hub not in zone_of:
            zones.problem(row, "hub_town_id", hub, f"中心镇 {hub} 不在 {towns.raw.label} 中",
                          f"改为 {towns.raw.label} 中本片区的一个乡镇编号")
        elif zone_of[hub] != zone:
            zones.problem(row, "hub_town_id", hub, f"中心镇 {hub} 属于片区 {zone_of[hub]}，不在本片区 {zone}",
                          f"改为本片区的乡镇，或在 {towns.raw.label} 中把 {hub} 的所属片区改为 {zone}")


def check_date_order(table: ParsedTable, first: str, last: str, fix: str) -> None:
    for row in table.rows:
        start, end = row.values.get(first), row.values.get(last)
        if start and end and end < start:
            table.problem(row, last, table.cell(row, last), f"结束日期早于开始日期 {start.isoformat()}", fix)


def missing_table(source: Source, spec: Table) -> Problem:
    where = f"在工作簿中加入名为 {spec.stem} 的工作表" if source.workbook else f"加入 {spec.file_name}"
    near = [label for label, name in source.ignored if resembling_table(name) is spec]
    hint = f"「{near[0]}」是不是这张表？请改名为 {spec.stem}；否则" if near else ""
    return Problem(source.label_for(spec.stem), None, None, "", f"缺少必需的表 {spec.stem}（{spec.names[0]}）",
                   f"{hint}{where}，列为 {', '.join(c.name for c in spec.columns if c.required)}")


def ignored_warnings(source: Source) -> list[Problem]:
    """A file or sheet not read whose name looks like a table's ('zones (1).csv', '检查对象名录')."""
    out = []
    for label, name in source.ignored:
        spec = resembling_table(name)
        if spec is not None and spec.stem in source.tables:
            target = f"工作表 {spec.stem}" if source.workbook else spec.file_name
            out.append(Problem(label, None, None, "", f"没有读取：名字不是任何一张表的名字（像是 {target}，已有一份）",
                               "如果它才是要用的那一份，删掉或改名另一份"))
    return out


def missing_tables(source: Source, present: set[str]) -> list[Problem]:
    """Every required table neither read nor named unreadable."""
    return [missing_table(source, spec) for spec in TABLES
            if spec.required and spec.stem not in present and not source.unreadable & {"*", spec.stem}]
