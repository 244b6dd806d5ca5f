"""`users add|list|remove|passwd`: the county's accounts; passwords are read from standard input."""
from __future__ import annotations

import getpass
import sys

from models.problems import UserError
from planner.store.accounts import ROLES, add_user, remove_user, set_password, users
from planner.store.officers import known_officers
from planner.store.store import Store

DB_HELP = "数据库：sqlite:///文件、文件路径或 postgresql://…（默认环境变量 PLANNER_DB_URL，否则 数据文件夹/planner.db）"


def add_arguments(p) -> None:
    p.add_argument("--db", help=DB_HELP)
    sub = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = sub.add_parser("add", help="新建账号；密码从标准输入读取（终端上输入两次）")
    add.add_argument("name", help="用户名")
    add.add_argument("--role", required=True, help=" | ".join(f"{r}（{n}）" for r, n in ROLES.items()))
    add.add_argument("--dept", help="部门编号（department 账号必填）")
    add.add_argument("--inspector", help="人员编号（inspector 账号必填：inspectors.csv 的 inspector_id）")
    sub.add_parser("list", help="列出账号（不显示密码）")
    sub.add_parser("remove", help="停用账号（名字保留在审计记录中）").add_argument("name", help="用户名")
    sub.add_parser("passwd", help="重设密码（也解除锁定）；新密码从标准输入读取").add_argument("name", help="用户名")


def run(args) -> int:
    store = Store(args.db)
    try:
        if args.action == "add":
            user = add_user(store, args.name, args.role, read_password(), args.dept, by=operator(),
                            inspector_id=args.inspector)
            whose = user.dept_id or user.inspector_id
            print(f"已新建账号「{user.name}」（{user.role_name}{'：' + whose if whose else ''}），保存在 {store.where}")
            if user.inspector_id and not known_officers(store):
                print(f"注意：{store.where} 中还没有保存过数据集，人员编号 {user.inspector_id} 无法与本县的 inspectors.csv "
                      "核对；在应用中加载一次数据集后，新建的执法人员账号会逐一核对人员编号。")
            if user.dept_id and not store.departments():
                print(f"注意：{store.where} 中还没有保存过数据集，部门编号 {user.dept_id} 无法与本县的 departments.csv 核对"
                      "（只检查了它不为空）；在应用中加载一次数据集后，新建的部门账号会逐一核对部门编号。")
        elif args.action == "list":
            list_users(store)
        elif args.action == "remove":
            remove_user(store, args.name, by=operator())
            print(f"已停用账号「{args.name}」")
        else:
            set_password(store, args.name, read_password(), by=operator())
            print(f"已重设「{args.name}」的密码")
    finally:
        store.close()
    return 0


def list_users(store: Store) -> None:
    accounts = users(store)
    if not accounts:
        print(f"{store.where} 中还没有账号；用 python -m planner users add 名字 --role coordinator 新建")
        return
    print("用户名\t角色\t部门或人员\t状态\t创建时间")
    now = store.clock()
    for u in accounts:
        if u.disabled:
            state = "已停用"
        elif u.locked_until is not None and u.locked_until > now:
            state = f"锁定至 {local_time(u.locked_until)}"
        else:
            state = "正常"
        print(f"{u.name}\t{u.role_name}\t{u.dept_id or u.inspector_id or ''}\t{state}\t{local_time(u.created)}")


def read_password() -> str:
    """Twice with no echo on a terminal; otherwise one line of standard input (scripts, pipes)."""
    if sys.stdin.isatty():
        first = getpass.getpass("密码：")
        if getpass.getpass("再输入一次：") != first:
            raise UserError("两次输入的密码不一致，账号没有改动")
        return first
    return sys.stdin.readline().rstrip("\r\n")


def operator() -> str:
    """Who ran the command, as the audit log names them."""
    try:
        return f"命令行:{getpass.getuser()}"
    except (KeyError, OSError):
        return "命令行"


def local_time(moment) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")
