"""`python -m planner`: the coordinator's commands. The only code that prints; each command is one module."""
from __future__ import annotations

import argparse
import importlib
import os
import sys

from models.problems import DatasetError, UserError
from planner.output import os_reason

# command -> help; each module planner.cli.<command> ('-' as '_') has add_arguments(parser) and run(args) -> exit code
COMMANDS = {
    "validate": "检查数据集并打印概况 / validate a dataset and print its summary",
    "fixture": "生成确定性的测试数据集 / write a deterministic generated dataset",
    "draw": "双随机抽取 / draw businesses and inspector orders from the public seed",
    "plan": "抽取并排程 / draw and build the quarter's joint schedule",
    "verify": "复核抽取与排程 / re-derive the draw and re-check every rule",
    "verify-code": "核验检查码 / verify one visit's 检查码 against the published commitment",
    "export": "导出 / department workbooks, calendars and the public notice",
    "results": "检查结果 / merge departments' filled-in results into the plan",
    "status": "进度 / the quarter's progress: done, overdue, 联合检查率, 结果公示",
    "bench": "性能对比 / benchmark against today's practice and a greedy plan",
    "users": "账号 / the county's accounts: add, list, remove, passwd",
    "store": "应用保存的方案 / plans saved by the app: list, export, audit",
    "plan-many": "多县排程 / plan every county of a folder (serial or Ray), with a summary",
    "verify-many": "多县复核 / verify every county's plan of a plan-many folder",
    "calendar-draft": "节假日草稿 / a draft calendar.csv of a year's statutory festivals, to confirm",
    "plan-year": "年度抽查计划 / the year's plan by yearly ratios, split over the quarters, with its notice",
}


def _module(command: str):
    return importlib.import_module(f"planner.cli.{command.replace('-', '_')}")


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """All commands with their arguments, or only `command`'s arguments (the others listed by name): a what-if
    from the command line should not pay for importing every other command's libraries."""
    parser = argparse.ArgumentParser(prog="python -m planner", description="综合查一次 inspection planner")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, help_text in COMMANDS.items():
        command_parser = sub.add_parser(name, help=help_text, description=help_text)
        if command in (None, name):
            _module(name).add_arguments(command_parser)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = build_parser(argv[0] if argv and argv[0] in COMMANDS else None).parse_args(argv)
    try:
        return _module(args.command).run(args)
    except DatasetError as error:
        print(f"数据集有 {len(error.problems)} 处问题：", file=sys.stderr)
        for problem in [*error.problems, *error.warnings]:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    except UserError as error:
        print(f"错误：{error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\n已中断，未写入任何文件。", file=sys.stderr)
        return 130
    except MemoryError:  # a limit of the machine (or of ulimit), not of the data's format: say so, never a kill
        print("错误：内存不足，未写入任何文件。请检查输入是否选错了文件（一个县的名录通常只有几 MB），"
              "或在内存更大的电脑上运行。", file=sys.stderr)
        return 1
    except BrokenPipeError:  # output piped into `head` and closed: not an error of ours
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as error:  # a file that cannot be read or written: what and why, never a traceback
        print(f"错误：无法读写 {error.filename or '文件'}：{os_reason(error)}。请检查路径、权限和磁盘空间。", file=sys.stderr)
        return 1
