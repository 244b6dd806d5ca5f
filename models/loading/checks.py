"""Pass 3, across rows and tables: unique keys, references that exist, a hub town in its own 片区, dates in order;
and the tables a source lacks or holds under another name."""
from __future__ import annotations

from models.loading.sources import Source
from models.loading.tables import ParsedTable, resembling_table
from models.problems import Problem
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
        for row in table.rows:
            value = row.values.get(column.name)
            for ref in (value if isinstance(value, tuple) else (value,)):
                if ref is not None and ref not in known:
                    table.problem(row, column.name, ref, f"{column.aliases[0]}在 {label} 中找不到",
                                  fix.format(label=label, ref=ref))


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
