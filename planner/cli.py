"""`python -m planner`: the coordinator's commands. Each handler lives beside the idea it runs."""
from __future__ import annotations

import argparse
import importlib
import os
import sys

from models.problems import DatasetError, UserError

# command -> (module, function, help); handlers take the parsed args and return an exit code
COMMANDS = {
    "validate": ("planner.summary", "cli_validate", "检查数据集并打印概况 / validate a dataset and print its summary"),
    "fixture": ("planner.fixture", "cli_fixture", "生成确定性的测试数据集 / write a deterministic generated dataset"),
    "draw": ("planner.draw", "cli_draw", "双随机抽取 / draw businesses and inspector orders from the public seed"),
    "plan": ("planner.pipeline", "cli_plan", "抽取并排程 / draw and build the quarter's joint schedule"),
    "verify": ("planner.verify", "cli_verify", "复核抽取与排程 / re-derive the draw and re-check every rule"),
    "export": ("planner.export", "cli_export", "导出 / department workbooks, calendars and the public notice"),
    "bench": ("planner.bench", "cli_bench", "性能对比 / benchmark against today's practice and a greedy plan"),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m planner", description="综合查一次 inspection planner")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (_, _, help_text) in COMMANDS.items():
        command = sub.add_parser(name, help=help_text, description=help_text)
        ARGUMENTS[name](command)
    return parser


def _validate_args(p):
    p.add_argument("dataset", help="数据集文件夹（CSV）或 .xlsx 工作簿")


def _fixture_args(p):
    p.add_argument("--scale", choices=["tiny", "county", "city"], default="county")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--businesses", type=int, help="检查对象数量（覆盖默认规模）")
    p.add_argument("--out", required=True, help="输出文件夹")


def _draw_args(p):
    p.add_argument("dataset")
    p.add_argument("--out", required=True, help="方案文件夹")
    p.add_argument("--seed", help="公开随机种子（缺省时取 settings.toml，或新生成并打印）")


def _plan_args(p):
    _draw_args(p)
    p.add_argument("--time-limit", type=float, help="求解时限（秒），覆盖 settings.toml 的 time_limit_s")
    p.add_argument("--previous", help="上一版方案文件夹：重排时尽量不动原安排")
    p.add_argument("--change", action="append", default=[],
                   help="重排的变化，例如 absent:I001:2026-10-12:2026-10-16、remove:I002、"
                        "urgent:<统一社会信用代码>、set:cross_zone=forbid（可重复）")
    p.add_argument("--quiet", action="store_true", help="不显示进度")


def _verify_args(p):
    p.add_argument("plan_dir")
    p.add_argument("--data", required=True, help="数据集")


def _export_args(p):
    p.add_argument("plan_dir")
    p.add_argument("--data", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--format", default="xlsx,ics,notice,pdf", help="xlsx,ics,notice,pdf 的任意组合")


def _bench_args(p):
    p.add_argument("--data", action="append", help="数据集（可重复；缺省为县级夹具与城市级生成数据）")
    p.add_argument("--what", choices=["draw", "plan", "replan", "load"], default="plan")
    p.add_argument("--time-limit", type=float)


ARGUMENTS = {"validate": _validate_args, "fixture": _fixture_args, "draw": _draw_args, "plan": _plan_args,
             "verify": _verify_args, "export": _export_args, "bench": _bench_args}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    module, function, _ = COMMANDS[args.command]
    handler = getattr(importlib.import_module(module), function)
    try:
        return handler(args)
    except DatasetError as error:
        print(f"数据集有 {len(error.problems)} 处问题：", file=sys.stderr)
        for problem in error.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    except UserError as error:
        print(f"错误：{error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into `head` and closed: not an error of ours
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
