"""Per visit: the 检查通知书 (for the business, with its 检查码) and the 现场检查记录 / 一表通查 (the one checklist the
team takes in), as blocks that visit_html.py and visit_pdf.py render. Each shows that visit only.

The notice's section 五 gives the business its say: how to ask for other days (企业预约, the prefer/avoid changes:
whom to contact, until when, which days may be asked for) and how to rate the visit afterwards (its 评价码,
planner.plan.rating_code, for the app's rating page or the coordinator's office).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import groupby

import segno

from models.records import DISPOSAL_LABELS, RESULT_LABELS, Item
from planner.export.codes import no_code_reason, shows_day, visit_codes
from planner.export.context import ExportContext
from planner.export.formatting import period_label, safe_file_name
from planner.plan.model import Visit
from planner.plan.rating_code import rating_code
from planner.plan.visit_code import Code

NOTICE_FOLDER = "检查通知书"
CHECKLIST_FOLDER = "现场检查记录（一表通查）"
NOTICE_TITLE = "检查通知书"
CHECKLIST_TITLE = "现场检查记录（一表通查）"
ALL_NOTICES = "全部检查通知书.pdf"
ALL_CHECKLISTS = "全部现场检查记录.pdf"
WEEKDAYS = "一二三四五六日"
BOX = "□"
UNIT_JOIN = "\u3000"  # between result labels: each label stays whole on a line (fast_pdf.Layout.wrap)
QR_MASK = 0  # a fixed mask: choosing the best of eight costs six times as long, and any mask scans


@dataclass(frozen=True, slots=True)
class Title:
    text: str


@dataclass(frozen=True, slots=True)
class Heading:
    text: str


@dataclass(frozen=True, slots=True)
class Para:
    text: str
    align: str = "left"
    small: bool = False


@dataclass(frozen=True, slots=True)
class Grid:
    headers: list[str]
    widths: list[float]
    rows: list[list[str]]
    groups: dict[int, str] = field(default_factory=dict)  # row index -> a full-width row before it


@dataclass(frozen=True, slots=True)
class CodeBlock:
    text: str
    size: int  # modules per side
    runs: tuple[tuple[int, int, int], ...]  # the QR code's dark runs: (row, first column, length)


@dataclass(frozen=True, slots=True)
class Document:
    title: str
    file_stem: str
    blocks: list


def day_text(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日（星期{WEEKDAYS[day.weekday()]}）"


def week_text(day: date) -> str:
    monday = day - timedelta(days=day.weekday())
    sunday = monday + timedelta(days=6)
    return f"{monday.year}年{monday.month}月{monday.day}日至{sunday.month}月{sunday.day}日这一周内"


def file_stem(visit: Visit) -> str:
    return safe_file_name(f"{visit.date.isoformat()}_{visit.business_name}_{visit.visit_id}")


def code_block(text: str) -> CodeBlock:
    """The code and its QR code, as runs of dark modules (what both the SVG and the PDF draw)."""
    matrix = segno.make(text, error="m", mask=QR_MASK, micro=False).matrix
    runs, column = [], 0
    for r, row in enumerate(matrix):
        column = 0
        for dark, group in groupby(row):
            length = len(list(group))
            if dark:
                runs.append((r, column, length))
            column += length
    return CodeBlock(text, len(matrix), tuple(runs))


def team_rows(context: ExportContext, visit: Visit) -> list[list[str]]:
    rows = []
    for member in context.team(visit):
        person = context.dataset.inspector.get(member.inspector_id)
        lead = "（牵头）" if member.dept_id == visit.lead_dept_id else ""
        rows.append([member.name, member.dept_name + lead, (person.badge_no if person else "") or "（未登记）"])
    return rows


def departments_text(context: ExportContext, visit: Visit) -> str:
    joining = [context.dept_name(d) for d in visit.dept_ids if d != visit.lead_dept_id]
    lead = context.dept_name(visit.lead_dept_id)
    return f"{lead}牵头，会同{'、'.join(joining)}" if joining else lead


def contact(context: ExportContext, visit: Visit) -> str:
    """Whom the business asks: the county's contact (setting notice_contact), else the lead department."""
    return context.dataset.settings.notice_contact or context.dept_name(visit.lead_dept_id)


def last_day_to_ask(context: ExportContext, visit: Visit, with_day: bool) -> date | None:
    """The last working day a request about the date can still be honoured: a re-plan keeps every visit within
    lock_days working days of its today, so the request must come before then (and a day earlier, for the
    re-plan). Counted from the week's first working day when the notice shows only the week (not to give the
    day away). None when that day is already past."""
    workdays = context.dataset.workdays
    anchor = visit.date if with_day else visit.date - timedelta(days=visit.date.weekday())
    index = next((n for n, day in enumerate(workdays) if day >= anchor), len(workdays))
    last = index - context.dataset.settings.lock_days - 1
    return workdays[last] if last >= 0 and workdays[last] >= context.today else None


def appointment_line(context: ExportContext, visit: Visit, with_day: bool) -> str:
    """How the business asks for other days (企业预约: prefer or avoid): whom, until when, which days."""
    period = context.period
    by = last_day_to_ask(context, visit, with_day)
    soon = "" if by else "检查日期已临近；"
    when = f"请在{by.month}月{by.day}日前" if by else "请立即"
    return (f"预约检查时间：{soon}如上述时间确有困难，{when}与{contact(context, visit)}联系，说明希望接受检查的日期，"
            f"或不便接受检查的日期（限{period.start.month}月{period.start.day}日至{period.end.month}月{period.end.day}日"
            "之间的工作日）。能否调整以抽查规则和检查组的安排允许为限，不能调整的会告知原因。")


def rating_line(context: ExportContext, visit: Visit) -> str:
    """How the business rates the visit afterwards: its 评价码, where to enter it, and who never sees it."""
    salt_key = context.record.salt_key
    if not salt_key:
        return "检查评价：本方案由旧版本生成，没有评价码；检查结束后如需评价，请与" + contact(context, visit) + "联系。"
    code = rating_code(salt_key, visit.visit_id)
    url = context.dataset.settings.rating_url
    office = f"将统一社会信用代码和评价码告知{contact(context, visit)}代为录入"
    how = f"打开评价页面 {url}，输入你单位的统一社会信用代码和评价码提交，或{office}" if url else office
    return (f"检查评价：检查结束后，你单位可对本次检查作出评价（满意或不满意，可附简短意见）。评价码：{code}。"
            f"请{how}。每次检查只能评价一次；评价不向检查人员和检查部门公开，只按部门和季度汇总。")


def notice_document(context: ExportContext, visit: Visit, code: Code | None) -> Document:
    business = context.dataset.business.get(visit.credit_code)
    with_day = code.day is not None if code else shows_day(context, visit.date)
    when = day_text(visit.date) if with_day else week_text(visit.date)
    items = [[str(n), context.dept_name(context.item_dept_id(i)), context.item_label(i), _basis(context, i)]
             for n, i in enumerate(visit.item_ids, start=1)]
    blocks: list = [
        Title(NOTICE_TITLE), Para(f"编号：{visit.visit_id}", align="right", small=True),
        Para(f"{visit.business_name}（统一社会信用代码：{visit.credit_code}）："),
        Para(f"根据{period_label(context.period)}部门联合“双随机、一公开”抽查计划，{departments_text(context, visit)}，"
             f"将于{when}对你单位开展{'联合' if len(visit.dept_ids) > 1 else ''}现场检查"
             "（“综合查一次”：进一次门、查多项事，各部门不再分别上门）。现将有关事项告知如下。"),
        Heading("一、检查时间"),
        Para(when + ("" if with_day else f"；具体日期在检查前 {context.dataset.settings.notice_days} 天内另行通知。")),
        Heading("二、检查人员"), Grid(["姓名", "所属部门", "执法证号"], [1.2, 2.4, 1.6], team_rows(context, visit)),
        Heading("三、检查事项及依据"), Grid(["序号", "实施部门", "检查事项", "法律依据"], [0.5, 1.6, 2.2, 2.4], items),
        Heading("四、你单位的权利"),
        Para("1. 检查人员不少于两人，并应主动出示行政执法证件；未出示执法证件、人数不足或与本通知书所列人员不符的，你单位有权拒绝检查。"),
        Para("2. 检查人员与你单位有直接利害关系或者其他关系可能影响公正检查的，你单位有权申请回避，请在检查前向牵头部门提出。"),
        Para("3. 你单位有权对检查中发现的问题进行陈述和申辩；检查结果将按规定在国家企业信用信息公示系统公示。"),
        Heading("五、预约与评价"), Para(appointment_line(context, visit, with_day)), Para(rating_line(context, visit)),
    ]
    if business and business.address:
        blocks.insert(3, Para(f"地址：{business.address}", small=True))
    blocks += _code_blocks(context, code)
    today = context.today
    blocks.append(Para(f"{context.dept_name(visit.lead_dept_id)}（盖章）　{today.year}年{today.month}月{today.day}日",
                       align="right"))
    return Document(NOTICE_TITLE, file_stem(visit), blocks)


def _basis(context: ExportContext, item_id: str) -> str:
    item = context.dataset.item.get(item_id)
    return (item.basis if item else "") or "（见抽查事项清单）"


def _code_blocks(context: ExportContext, code: Code | None) -> list:
    if code is None:
        return [Heading("六、检查码"), Para(no_code_reason(context), small=True)]
    scope = "检查日期" if code.day else "检查所在的周"
    return [Heading("六、检查码"),
            Para(f"请用随抽查公示发布的《检查码核验》页面（可离线打开）扫描二维码或粘贴下方检查码，核对本次检查的{scope}、"
                 "检查部门、事项和人员是否在公示的抽查计划中；不符的，你单位有权拒绝检查。"
                 f"公示的方案承诺值：{code.root}。"),
            code_block(code.text())]


def checklist_document(context: ExportContext, visit: Visit) -> Document:
    business = context.dataset.business.get(visit.credit_code)
    joining = "、".join(context.dept_name(d) for d in visit.dept_ids if d != visit.lead_dept_id) or "无"
    team = "；".join(f"{name}（{dept}，执法证号 {badge}）" for name, dept, badge in team_rows(context, visit))
    heads = [["检查编号", visit.visit_id, "检查日期", day_text(visit.date)],
             ["被检查单位", visit.business_name, "统一社会信用代码", visit.credit_code],
             ["地址", business.address if business else "", "牵头部门", context.dept_name(visit.lead_dept_id)],
             ["配合部门", joining, "检查人员", team]]
    rows, groups = [], {}
    for dept_name, item_ids in _items_by_dept(context, visit):
        groups[len(rows)] = dept_name
        for item_id in item_ids:
            rows.append([str(len(rows) + 1), f"{context.item_label(item_id)}（{item_id}）", _checklist(context, item_id),
                         "检查结果：\n" + UNIT_JOIN.join(f"{BOX}{label}" for label in RESULT_LABELS) + "\n后续处置：\n"
                         + UNIT_JOIN.join(f"{BOX}{label}" for label in DISPOSAL_LABELS),
                         "\n\n\n整改期限：\n    年  月  日"])
    blocks = [Title(CHECKLIST_TITLE), Grid([], [1.1, 2.2, 1.3, 2.2], heads),
              Grid(["序号", "检查事项（编号）", "检查内容", "检查结果与后续处置（在□内打√）", "发现的问题"],
                   [0.6, 1.45, 2.0, 3.9, 1.6], rows, groups),
              Para(f"各部门据此在部门工作簿“结果登记”表中填写检查编号 {visit.visit_id} 各事项的结果；检查结果标签与国家企业"
                   "信用信息公示系统一致。", small=True),
              Para("检查人员（签名）：____________________    执法证号：____________________"),
              Para("被检查单位负责人（签名）：____________________    日期：______年____月____日")]
    return Document(CHECKLIST_TITLE, file_stem(visit), blocks)


def _items_by_dept(context: ExportContext, visit: Visit) -> list[tuple[str, list[str]]]:
    """The visit's items by department, the lead department first."""
    groups: dict[str, list[str]] = {}
    for item_id in sorted(visit.item_ids, key=lambda i: (context.item_dept_id(i) != visit.lead_dept_id,
                                                         context.item_dept_id(i), i)):
        groups.setdefault(context.dept_name(context.item_dept_id(item_id)), []).append(item_id)
    return list(groups.items())


NO_CHECKLIST = "按抽查事项清单规定的检查内容"


def checklist_points(item: Item | None) -> list[str]:
    """What to check for an item (its checklist column, one point per line or ；), as the 现场检查记录 and the
    inspector's phone list them."""
    text = (item.checklist if item else "").replace("；", "\n").replace(";", "\n")
    return [line.strip() for line in text.split("\n") if line.strip()]


def _checklist(context: ExportContext, item_id: str) -> str:
    points = checklist_points(context.dataset.item.get(item_id))
    return "\n".join(f"{n}. {p}" for n, p in enumerate(points, start=1)) or NO_CHECKLIST


def visit_documents(context: ExportContext) -> list[tuple[Document, Document]]:
    """(notice, checklist) per visit, in reading order."""
    codes = visit_codes(context)
    return [(notice_document(context, v, codes.get(v.visit_id)), checklist_document(context, v))
            for v in context.visits]
