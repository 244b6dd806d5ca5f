"""`store list|export|audit`: the plans the app saved, written back to a plan folder; who did what when."""
from __future__ import annotations

from pathlib import Path

from models.problems import UserError
from planner.cli.users import DB_HELP, local_time, operator
from planner.output import printable
from planner.store.store import AUDIT_ACTIONS, Store


def add_arguments(p) -> None:
    p.add_argument("--db", help=DB_HELP)
    sub = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    sub.add_parser("list", help="列出保存的方案与情景")
    export = sub.add_parser("export", help="把保存的方案写成方案文件夹")
    export.add_argument("plan", help="方案编号或名称（同名时取最新的）")
    export.add_argument("--out", required=True, help="输出文件夹（新的或空的）")
    export.add_argument("--version", type=int, help="方案的第几版（默认当前版本）")
    audit = sub.add_parser("audit", help="操作记录：谁在什么时候做了什么")
    audit.add_argument("--user", help="只看这个用户的")
    audit.add_argument("--limit", default="50", help="最多显示几条（正整数，默认 50）")


def run(args) -> int:
    store = Store(args.db)
    try:
        {"list": list_plans, "export": export_plan, "audit": show_audit}[args.action](store, args)
    finally:
        store.close()
    return 0


def list_plans(store: Store, args) -> None:
    rows = store.plans()
    if not rows:
        print(f"{store.where} 中还没有保存的方案。")
        return
    print("编号\t名称\t类型\t版本\t检查\t未排程\t创建人\t创建时间")
    for p in rows:
        metrics = p.record.get("metrics", {})
        kind = f"情景（基于 {p.parent_id}）" if p.is_scenario else "方案"
        print(f"{p.id}\t{p.name}\t{kind}\t{p.version}\t{metrics.get('visits', '')}\t{metrics.get('unscheduled', '')}"
              f"\t{p.created_by}\t{local_time(p.created)}")


def export_plan(store: Store, args) -> None:
    row = store.find_plan(args.plan)
    if row is None:
        raise UserError(f"找不到方案「{args.plan}」；用 python -m planner store list 查看编号")
    out = store.write_plan(row.id, Path(args.out), args.version)
    version = args.version or row.version
    store.log(operator(), "export", plan_id=row.id, detail=f"第 {version} 版写入 {out}")
    print(f"已把方案 {row.id}（{row.name}，第 {version} 版）写入 {out}；变化：{'; '.join(row.changes) or '无'}")


def show_audit(store: Store, args) -> None:
    entries = store.audit(user=args.user, limit=positive_limit(args.limit))
    if not entries:
        print("没有操作记录。")
        return
    print("时间\t用户\t操作\t方案\t说明")
    for e in entries:
        # escaped again: a line an earlier version logged as given cannot forge one here either
        print(f"{local_time(e.at)}\t{printable(e.user_name)}\t{AUDIT_ACTIONS.get(e.action, printable(e.action))}"
              f"\t{e.plan_id or ''}\t{printable(e.detail)}")


def positive_limit(text: str) -> int:
    """--limit: a whole number of entries, at least 1."""
    try:
        limit = int(text)
    except ValueError:
        limit = 0
    if limit < 1:
        raise UserError(f"--limit {text}：应为正整数（最多显示几条，例如 --limit 50）")
    return limit
