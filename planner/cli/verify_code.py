"""`verify-code CODE --root HEX [--chain FILE | --plan PLAN_DIR]`: is this 检查码 in the published plan?
Exit 0 when valid (or still valid under a later root), 1 when not; one sentence in 简体中文 either way."""
from __future__ import annotations

import sys
from pathlib import Path

from planner.check.commitment import code_verdict, parse_commitment, read_public_chain
from planner.plan.commitment import public_chain
from planner.plan.record import read_record
from planner.plan.visit_code import shown_fields


def add_arguments(p) -> None:
    p.add_argument("code", help="检查码（JCM1-…；「-」表示从标准输入读取）")
    p.add_argument("--root", help="公示中印的方案承诺值（SHA-256）；缺省为承诺链的最新一环")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--chain", help="公开的承诺链文件（导出的 公示/承诺链.json）：可判断检查码是否已被取代")
    where.add_argument("--plan", help="方案文件夹：从其 record.json 读取承诺链")


def run(args) -> int:
    text = sys.stdin.read() if args.code == "-" else args.code
    root = parse_commitment(args.root) if args.root else None
    links = None
    if args.chain:
        links = read_public_chain(Path(args.chain))
    elif args.plan:
        record = read_record(args.plan)
        links = public_chain(record.period, record.commitment_chain)["links"]
    verdict = code_verdict(text, root, links)
    print(verdict.message)
    if verdict.code is not None and verdict.valid:
        for label, value in shown_fields(verdict.code):
            print(f"  {label}：{value}")
    return 0 if verdict.valid else 1
