"""`users` and `store` on the command line: passwords from standard input, messages in words, no hashes shown."""
from __future__ import annotations

import io
import json

import pytest

from planner.cli import main
from planner.store import schema
from planner.store.accounts import LoginFailed, authenticate
from planner.store.store import Store


@pytest.fixture()
def db(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'data' / 'planner.db'}"
    monkeypatch.setenv("PLANNER_DB_URL", url)
    return url


def typed(monkeypatch, text: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(text))


def test_add_list_passwd_remove(db, monkeypatch, capsys):
    typed(monkeypatch, "first-password\n")
    assert main(["users", "add", "市场监管-王五", "--role", "department", "--dept", "SJ"]) == 0
    assert "已新建账号「市场监管-王五」（部门：SJ）" in capsys.readouterr().out
    typed(monkeypatch, "leader-password\n")
    assert main(["users", "add", "县领导", "--role", "viewer"]) == 0
    assert main(["users", "list"]) == 0
    listed = capsys.readouterr().out
    assert "市场监管-王五\t部门\tSJ\t正常" in listed and "县领导\t领导（只看进度）\t\t正常" in listed
    assert "$argon2" not in listed and "password" not in listed
    typed(monkeypatch, "second-password\n")
    assert main(["users", "passwd", "市场监管-王五"]) == 0
    store = Store(db)
    assert authenticate(store, "市场监管-王五", "second-password").dept_id == "SJ"
    assert main(["users", "remove", "县领导"]) == 0
    assert main(["users", "list"]) == 0
    assert "县领导\t领导（只看进度）\t\t已停用" in capsys.readouterr().out
    actions = [(e.user_name.split(":")[0], e.action) for e in store.audit()]
    assert actions[:3] == [("命令行", "user_remove"), ("市场监管-王五", "login"), ("命令行", "user_passwd")]


@pytest.mark.parametrize(("args", "stdin", "message"), [
    (["add", "张三", "--role", "coordinator"], "\n", "错误：密码不能为空"),
    (["add", "张三", "--role", "coordinator"], "", "错误：密码不能为空"),
    (["add", "张三", "--role", "coordinator"], "short\n", "错误：密码太短：至少需要 8 个字符（现在只有 5 个）"),
    (["add", "张三", "--role", "boss"], "long-enough\n", "错误：角色「boss」无效"),
    (["add", "张三", "--role", "department"], "long-enough\n", "错误：部门账号要用 --dept"),
    (["remove", "没有"], "", "错误：没有可停用的账号「没有」"),
    (["passwd", "没有"], "long-enough\n", "错误：没有账号「没有」"),
])
def test_bad_requests_are_messages(db, monkeypatch, capsys, args, stdin, message):
    typed(monkeypatch, stdin)
    assert main(["users", *args]) == 1
    err = capsys.readouterr().err
    assert err.startswith(message) and "Traceback" not in err


def test_on_a_terminal_the_password_is_typed_twice(db, monkeypatch, capsys):
    answers = iter(["typed-password", "typed-passwore"])
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    assert main(["users", "add", "张三", "--role", "coordinator"]) == 1
    assert "两次输入的密码不一致" in capsys.readouterr().err
    answers = iter(["typed-password", "typed-password"])
    assert main(["users", "add", "张三", "--role", "coordinator"]) == 0


def test_store_lists_exports_and_shows_the_audit(db, tiny_plan_dir, tmp_path, capsys):
    store = Store(db)
    seed = json.loads((tiny_plan_dir / "record.json").read_text(encoding="utf-8"))["seed"]
    base = store.save_plan("方案1", "d1", tiny_plan_dir, seed=seed, changes=[], by="张三")
    store.save_plan("方案1", "d1", tiny_plan_dir, seed=seed, changes=["remove:X"], parent_id=base, by="张三")
    assert main(["store", "list"]) == 0
    listed = capsys.readouterr().out
    assert f"{base}\t方案1\t方案\t1\t" in listed and f"{base + 1}\t方案1\t情景（基于 {base}）\t1\t" in listed
    assert main(["store", "export", "方案1", "--out", str(tmp_path / "out")]) == 0  # the newest of that name
    assert f"已把方案 {base + 1}（方案1，第 1 版）" in capsys.readouterr().out
    assert (tmp_path / "out" / "visits.csv").read_bytes() == (tiny_plan_dir / "visits.csv").read_bytes()
    assert main(["store", "export", "方案1", "--out", str(tmp_path / "out")]) == 1
    assert "不是空文件夹" in capsys.readouterr().err
    assert main(["store", "export", "没有", "--out", str(tmp_path / "x")]) == 1
    assert "找不到方案「没有」" in capsys.readouterr().err
    assert main(["store", "audit", "--limit", "1"]) == 0
    audit = capsys.readouterr().out.splitlines()
    assert len(audit) == 2 and "命令行" in audit[1] and "下载或导出方案" in audit[1] and str(base + 1) in audit[1]


def test_an_empty_store_says_so(db, capsys):
    assert main(["store", "list"]) == 0
    assert "还没有保存的方案" in capsys.readouterr().out
    assert main(["users", "list"]) == 0
    assert "users add 名字 --role coordinator" in capsys.readouterr().out


@pytest.mark.parametrize("limit", ["-1", "0", "abc"])
def test_a_bad_audit_limit_is_a_message(db, capsys, limit):
    assert main(["store", "audit", "--limit", limit]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"错误：--limit {limit}：应为正整数") and "Traceback" not in err


def test_the_audit_listing_never_shows_a_forged_line(db, capsys):
    """A line break in an unknown login name, and one an earlier version stored as given, are shown escaped."""
    store = Store(db)
    with pytest.raises(LoginFailed):
        authenticate(store, "张三\n2026-10-08 09:00\tadmin\t登录", "x")
    with store.engine.begin() as db_:
        db_.execute(schema.audit.insert().values(at=store.clock(), user_name="李四\nadmin", action="login",
                                                 plan_id=None, detail="旧\n行"))
    assert main(["store", "audit"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3 and "李四\\nadmin" in lines[1] and "旧\\n行" in lines[1]


def test_a_department_account_says_what_could_be_checked(db, monkeypatch, capsys):
    typed(monkeypatch, "long-enough\n")
    assert main(["users", "add", "王五", "--role", "department", "--dept", "NOSUCHDEPT"]) == 0
    assert "还没有保存过数据集，部门编号 NOSUCHDEPT 无法与本县的 departments.csv 核对" in capsys.readouterr().out
    Store(db).save_dataset("d1", "tiny", "fixture:tiny", None, by="x", departments={"SJ": "市场监管局"})
    typed(monkeypatch, "long-enough\n")
    assert main(["users", "add", "赵六", "--role", "department", "--dept", "NOSUCHDEPT"]) == 1
    assert "错误：部门编号「NOSUCHDEPT」不是本县数据集中的部门；已知的部门：SJ（市场监管局）" in capsys.readouterr().err
