"""检查码 for every visit of the plan (docs/commitment.md), 检查通知书/检查码.csv for the coordinator, and the public
chain 公示/承诺链.json that the offline page 检查码核验.html embeds."""
from __future__ import annotations

import json
import weakref
from datetime import date, timedelta
from pathlib import Path

from planner.export.context import ExportContext
from planner.export.formatting import export_csv_bytes, write_files
from planner.plan import commitment
from planner.plan.visit_code import Code, issue_all, visit_fields, visit_leaf

NOTICE_FOLDER = "检查通知书"
CODES_CSV = "检查码.csv"
PUBLIC_FOLDER = "公示"
CHAIN_FILE = "承诺链.json"
LEGACY = "本方案由旧版本生成，承诺链不含检查码；请重排一次（plan --previous …）后再导出检查通知书。"
MISMATCH = ("数据集中的部门、事项、人员名称或执法证号与生成方案时不同，无法签发检查码；"
            "请用生成方案时的数据集导出（可先运行 verify 查明差异）。")


def shows_day(context: ExportContext, day: date) -> bool:
    """Whether a notice exported today gives the visit's day (else only its week): notice_days ahead at most."""
    return day - context.today <= timedelta(days=context.dataset.settings.notice_days)


_ISSUED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # context -> its codes, issued once


def _issue_all(context: ExportContext) -> tuple[dict[str, Code], str]:
    """The codes, or none and why (a code that would not verify is never issued)."""
    record = context.record
    chain = record.commitment_chain
    if not record.salt_key or not chain or not commitment.is_merkle(chain[-1]):
        return {}, LEGACY
    fields = [visit_fields(v, context.dataset) for v in context.plan.visits]
    if {visit_leaf(f, record.salt_key) for f in fields} != commitment.leaf_sets(chain)[-1]:
        return {}, MISMATCH
    codes = issue_all(fields, record.salt_key, chain[-1]["state_leaf"], lambda day: shows_day(context, day))
    assert all(code.root == record.commitment for code in codes.values())  # the chain's own root, recomputed
    return codes, ""


def visit_codes(context: ExportContext) -> dict[str, Code]:
    """visit id -> its 检查码 under the plan's commitment; empty for a plan made before the Merkle tree."""
    return _issued(context)[0]


def no_code_reason(context: ExportContext) -> str:
    """Why the plan's notices carry no 检查码 ("" when they do)."""
    return _issued(context)[1]


def _issued(context: ExportContext) -> tuple[dict[str, Code], str]:
    if context not in _ISSUED:
        _ISSUED[context] = _issue_all(context)
    return _ISSUED[context]


def write_codes_csv(context: ExportContext, out: Path) -> list[Path]:
    codes = visit_codes(context)
    rows = ([v.visit_id, v.credit_code, codes[v.visit_id].text()] for v in context.visits if v.visit_id in codes)
    return write_files(out / NOTICE_FOLDER, [(CODES_CSV, export_csv_bytes(["visit_id", "credit_code", "code"], rows))])


def public_chain_json(context: ExportContext) -> dict:
    return commitment.public_chain(context.period.text, context.record.commitment_chain)


def write_public_chain(context: ExportContext, out: Path) -> list[Path]:
    text = json.dumps(public_chain_json(context), ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    return write_files(out / PUBLIC_FOLDER, [(CHAIN_FILE, text.encode("utf-8"))])
