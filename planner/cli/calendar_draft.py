"""`calendar-draft YEAR --out FILE`: a draft calendar.csv for a year the packaged calendar does not cover — every
statutory festival day (and the 补假 days python-holidays expects) as a day off, to confirm against the State
Council's notice and complete with its 调休 make-up working days. Never written into a dataset uninvited."""
from __future__ import annotations

from models.calendar import calendar_draft, calendar_draft_csv, packaged_years
from models.problems import UserError
from planner.output import write_new_file


def add_arguments(p) -> None:
    p.add_argument("year", help="年份，例如 2027")
    p.add_argument("--out", required=True, help="写出的草稿文件（新文件，不覆盖已有文件），例如 2027_calendar.csv")


def run(args) -> int:
    year = _year(args.year)
    path = write_new_file(args.out, calendar_draft_csv(year))
    days = calendar_draft(year)
    print(f"已写入 {path}：{year} 年法定节假日草稿 {len(days)} 天（workday=false）。")
    if year in packaged_years():
        print(f"注意：{year} 年已收录在法定节假日日历中（含调休），通常不需要 calendar.csv。")
    print("请对照国务院办公厅当年部分节假日安排的通知逐日核对，补上调休上班日（workday=true），"
          "再把这些行并入数据集的 calendar.csv。")
    return 0


def _year(text: str) -> int:
    if not text.isdigit() or not 2000 <= int(text) <= 2100:
        raise UserError(f"年份「{text}」应为 2000 到 2100 之间的整数，例如 2027")
    return int(text)
