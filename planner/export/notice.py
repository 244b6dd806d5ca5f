"""公示 notice (一公开): the public result of the draw as CSV and as a printable HTML page.

It lists the items, the departments and the businesses drawn, with the seed and how to verify the draw.
It carries no inspector and no date: before the visits happen, who goes where and when is confidential.
"""
from __future__ import annotations

import html
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from planner.export.context import ExportContext
from planner.export.formatting import dept_items_text, export_csv_bytes, period_label, write_files

FOLDER = "公示"
CSV_NAME = "抽查公示.csv"
HTML_NAME = "抽查公示.html"
PDF_NAME = "抽查公示.pdf"
CSV_HEADERS = ["序号", "统一社会信用代码", "企业名称", "事项编号", "抽查事项", "实施部门", "随机序号", "随机种子"]
VERIFY_COMMAND = "python -m planner verify <方案文件夹> --data <数据集文件夹>"


@dataclass(frozen=True, slots=True)
class DrawnItem:
    item_id: str
    name: str
    dept_name: str
    rank: int


@dataclass(frozen=True, slots=True)
class DrawnBusiness:
    credit_code: str
    name: str
    items: tuple[DrawnItem, ...]

    def items_text(self) -> str:
        """'市场监管局：食品安全、计量器具；综合执法局：油烟与招牌'."""
        return dept_items_text((item.dept_name, item.name) for item in self.items)


def notice_title(context: ExportContext) -> str:
    return f"{period_label(context.period)} 部门联合“双随机”抽查 抽取结果公示"


def drawn_businesses(context: ExportContext) -> list[DrawnBusiness]:
    """Each drawn business once, with every item it was drawn for, by credit code."""
    by_business: dict[str, list[DrawnItem]] = {}
    for d in sorted(context.draw, key=lambda d: (d.credit_code, d.item_id)):
        by_business.setdefault(d.credit_code, []).append(
            DrawnItem(d.item_id, context.item_label(d.item_id), context.dept_name(d.dept_id), d.rank))
    return [DrawnBusiness(code, context.business_name(code), tuple(items)) for code, items in by_business.items()]


def item_counts(context: ExportContext) -> list[tuple[str, str, str, int]]:
    """(item id, item name, department, businesses drawn) per item, in item order."""
    counts = Counter(d.item_id for d in context.draw)
    dept_of = {d.item_id: d.dept_id for d in context.draw}
    return [(i, context.item_label(i), context.dept_name(dept_of[i]), counts[i]) for i in sorted(counts)]


def summary_line(context: ExportContext) -> str:
    businesses = {d.credit_code for d in context.draw}
    items = {d.item_id for d in context.draw}
    departments = {d.dept_id for d in context.draw}
    return (f"本期共抽取检查对象 {len(businesses)} 家，涉及抽查事项 {len(items)} 项、"
            f"实施部门 {len(departments)} 个。同一企业被多个部门抽中的，实行“综合查一次”，由相关部门联合检查。")


def verification_lines(context: ExportContext) -> list[str]:
    """How anyone can check that the list follows from the public seed and the public registers, and — with the
    plan's commitment — that the confidential schedule was not altered after this notice."""
    lines = [
        f"随机种子：{context.seed}",
        "抽取结果完全由上述公开种子、抽查事项清单和检查对象名录库决定，不经人工挑选。"
        "计算方法（SHA-256 哈希排序）见项目文档 docs/draw.md，任何人可按该方法用同一种子独立重算抽取结果。",
        f"监督复核：持有方案和数据集者可运行 {VERIFY_COMMAND}，"
        "程序将重新计算抽取结果并逐条核对排程规则，不一致时指出违反的规则和所在行。",
        "本公示不含检查人员和检查日期；检查实施前，具体检查安排属内部资料。",
    ]
    commitment = context.record.commitment
    if commitment:
        lines[1:1] = [f"方案承诺值（SHA-256）：{commitment}"]
        lines.append(f"事后核对：纪检监察、审计等部门可在检查结束后运行 {VERIFY_COMMAND} --commitment <方案承诺值>，"
                     "确认保密的检查安排（日期、人员）在公示后没有被手工改动，公示后经系统记录的调整逐条列出。"
                     "承诺值只是方案文件的摘要，不透露任何安排；计算方法见 docs/commitment.md，不用本程序也可重算。")
    return lines


def write_notice_csv(context: ExportContext, out: Path) -> list[Path]:
    """One row per (business, item), for Excel (export_csv_bytes)."""
    rows = ([n, business.credit_code, business.name, item.item_id, item.name, item.dept_name, item.rank, context.seed]
            for n, business in enumerate(drawn_businesses(context), start=1) for item in business.items)
    return write_files(out / FOLDER, [(CSV_NAME, export_csv_bytes(CSV_HEADERS, rows))])


def write_notice_html(context: ExportContext, out: Path) -> list[Path]:
    return write_files(out / FOLDER, [(HTML_NAME, notice_html(context).encode("utf-8"))])


def notice_html(context: ExportContext) -> str:
    e = html.escape
    item_rows = "".join(f"<tr><td>{e(i)}</td><td>{e(name)}</td><td>{e(dept)}</td><td class=n>{n}</td></tr>\n"
                        for i, name, dept, n in item_counts(context))
    business_rows = "".join(
        f"<tr><td class=n>{n}</td><td>{e(b.name)}</td><td class=code>{e(b.credit_code)}</td>"
        f"<td>{e(b.items_text())}</td></tr>\n" for n, b in enumerate(drawn_businesses(context), start=1))
    verify = "".join(f"<li>{e(line)}</li>\n" for line in verification_lines(context))
    digests = "".join(f"<tr><td>{e(name)}</td><td class=code>{e(digest)}</td></tr>\n"
                      for name, digest in context.input_digests)
    title = e(notice_title(context))
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>{title}</title>
<style>
body {{ font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif;
       margin: 2em auto; max-width: 60em; line-height: 1.5; color: #222; }}
h1 {{ font-size: 1.5em; text-align: center; }}
table {{ border-collapse: collapse; width: 100%; margin: 0.5em 0 1.5em; }}
th, td {{ border: 1px solid #888; padding: 0.25em 0.5em; text-align: left; vertical-align: top; }}
th {{ background: #eef3fa; }}
td.n {{ text-align: right; }}
.code {{ font-family: monospace; white-space: nowrap; }}
@media print {{ body {{ margin: 0; max-width: none; }} thead {{ display: table-header-group; }}
               tr {{ page-break-inside: avoid; }} }}
</style>
</head>
<body>
<h1>{title}</h1>
<p>{e(summary_line(context))}</p>
<h2>抽查事项</h2>
<table>
<thead><tr><th>事项编号</th><th>抽查事项</th><th>实施部门</th><th>抽取家数</th></tr></thead>
<tbody>
{item_rows}</tbody>
</table>
<h2>抽取的检查对象</h2>
<table>
<thead><tr><th>序号</th><th>企业名称</th><th>统一社会信用代码</th><th>实施部门：抽查事项</th></tr></thead>
<tbody>
{business_rows}</tbody>
</table>
<h2>随机种子与复核方法</h2>
<ul>
{verify}</ul>
<h3>输入文件指纹（SHA-256）</h3>
<table>
<thead><tr><th>文件</th><th>SHA-256</th></tr></thead>
<tbody>
{digests}</tbody>
</table>
</body>
</html>
"""
