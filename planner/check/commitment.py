"""verify against the commitment chain (docs/commitment.md): the folder's files against the last link, the chain
against itself and against the changes record.json lists, and the commitment published in the notice."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from models.dataset import Dataset
from models.problems import UserError
from planner.output import read_csv_rows
from planner.plan import commitment
from planner.plan.folder import LOG_FILE
from planner.plan.model import Plan
from planner.plan.record import PlanRecord
from planner.plan.visit_code import visit_leaves

HEX64 = re.compile(r"[0-9a-f]{64}")
EXCEL_HINT = "（用 Excel 打开后另存也会改变文件）"


@dataclass
class Published:
    """Where the published commitment sits in the chain, and what was recorded after it."""
    position: int  # 1-based link of the chain
    links: int
    events_since: list[str]


def parse_commitment(text: str) -> str:
    value = text.strip().lower()
    if not HEX64.fullmatch(value):
        raise UserError(f"--commitment 应为公示中的方案承诺值（64 位十六进制数），收到：{text!r}")
    return value


def commitment_findings(folder: Path, record: PlanRecord, published: str | None) -> tuple[list[str], Published | None]:
    """Findings (简体中文) and, when `published` is a link of a sound chain, what was recorded after it."""
    chain = record.commitment_chain
    if not chain:
        if published is None:
            return [], None
        return ["[承诺] record.json 中没有承诺链（仅有抽取结果，或由旧版本生成），无法核对公示的承诺值。"], None
    findings = [f"[承诺] record.json 的承诺链第 {k} 环与它的记录内容或前一环不符：承诺链在生成后被改动。"
                for k in commitment.broken_links(chain)]
    findings += _kind_findings(record) + _file_findings(folder, chain[-1]) + _event_findings(record)
    findings += _log_findings(folder, chain)
    if published is None:
        return findings, None
    values = [str(link.get("commitment", "")) for link in chain]
    if published not in values:
        return findings + [f"[承诺] 公示的承诺值 {published} 不在本方案的承诺链中：这不是公示时的那份方案，"
                           "或方案在公示后被改动、承诺链被重写。"], None
    position = values.index(published) + 1
    return findings, Published(position, len(chain), [event_text(str(link.get("event", "")))
                                                       for link in chain[position:]])


def is_legacy(record: PlanRecord) -> bool:
    """A plan made before the Merkle tree: its chain has no visits' leaves, so it issues no 检查码."""
    return not record.salt_key and not any(commitment.is_merkle(link) for link in record.commitment_chain)


def _kind_findings(record: PlanRecord) -> list[str]:
    merkle = commitment.is_merkle(record.commitment_chain[-1])
    if merkle and not record.salt_key:
        return ["[承诺] 承诺链是检查码（Merkle 树）的，但 record.json 缺少 salt_key：record.json 在生成后被改动。"]
    if record.salt_key and not merkle:
        return ["[承诺] record.json 有 salt_key，但承诺链最后一环不含检查码叶子：承诺链在生成后被改动。"]
    return []


def leaf_findings(record: PlanRecord, plan: Plan, dataset: Dataset) -> list[str]:
    """The last link's visits' leaves against those of visits.csv, named as the dataset names them now."""
    chain = record.commitment_chain
    if not record.salt_key or not chain or not commitment.is_merkle(chain[-1]):
        return []
    committed = commitment.leaf_sets(chain)[-1] or set()
    now = visit_leaves(plan.visits, dataset, record.salt_key)
    differ = sorted(visit_id for visit_id, leaf in now.items() if leaf not in committed)
    missing = len(committed - set(now.values()))
    if not differ and not missing:
        return []
    named = "、".join(differ[:5]) + (f" 等 {len(differ)} 次检查" if len(differ) > 5 else "")
    return [f"[承诺] 承诺链最后一环承诺的检查（检查码的叶子）与 visits.csv 及数据集中的名称、执法证号不符："
            f"{named or f'{missing} 个叶子没有对应的检查'}。若数据集在生成方案后改过部门、事项、人员名称或执法证号，"
            "请用生成方案时的数据集核对；否则方案在生成后被改动。"]


def _file_findings(folder: Path, last: dict) -> list[str]:
    now = commitment.committed(commitment.folder_files(folder))
    if commitment.digest_of(now) == last.get("files_sha256"):
        return []
    recorded = last.get("files")
    if not isinstance(recorded, dict) or commitment.digest_of(recorded) != last.get("files_sha256"):
        what = "方案文件"  # the per-file digests are missing or altered: the aggregate alone says something changed
    else:
        parts = [f"{'、'.join(names)} {verb}" for names, verb in (
            (sorted(n for n in now.keys() & recorded.keys() if now[n] != recorded[n]), "被改动"),
            (sorted(now.keys() - recorded.keys()), "是后来加入的"),
            (sorted(recorded.keys() - now.keys()), "已缺失")) if names]
        what = "；".join(parts)
    return [f"[承诺] 方案文件与 record.json 中最后一环承诺不符：{what}{EXCEL_HINT}。请使用程序生成的原文件；"
            "要调整安排，请用 plan --previous … --change … 重排，调整会记入承诺链。"]


def _event_findings(record: PlanRecord) -> list[str]:
    """The chain's events must be exactly the plan's seed and period, then the changes the record lists."""
    events = [str(link.get("event", "")) for link in record.commitment_chain]
    findings = []
    expected = commitment.plan_event(record.seed, record.period)
    if events[0] != expected:
        findings.append(f"[承诺] 承诺链第 1 环记录的是「{events[0]}」，与 record.json 的「{expected}」不符。")
    chained = [change for event in events[1:] for change in replan_changes(event)]
    if chained != record.changes:
        findings.append(f"[承诺] record.json 列出的假设分析变化（{'；'.join(record.changes) or '无'}）与承诺链记录的"
                        f"（{'；'.join(chained) or '无'}）不符：record.json 在生成后被改动。")
    return findings


def _log_findings(folder: Path, chain: list[dict]) -> list[str]:
    """Every import of results and every 结果公示 in the chain has its line in results_log.csv, and no more."""
    chained = sorted(digest for link in chain for digest in event_digests(str(link.get("event", ""))))
    path = folder / LOG_FILE
    logged = sorted(row.get("source_sha256", "") for row in read_csv_rows(path)) if path.is_file() else []
    if chained == logged:
        return []
    return [f"[承诺] {LOG_FILE} 记录的结果导入与公示（{len(logged)} 次）与承诺链记录的（{len(chained)} 次）不符："
            "结果记录在生成后被改动。"]


def event_digests(event: str) -> list[str]:
    """The files' digests an import of results ("results …") or a 结果公示 ("publish DAY …") names."""
    kind, *rest = event.split(" ")
    return rest if kind == "results" else rest[1:] if kind == "publish" else []


def replan_changes(event: str) -> list[str]:
    kind, *changes = event.split("\n")
    return changes if kind.split(" ")[0] == "replan" else []


def event_text(event: str) -> str:
    """An event of the chain in words."""
    kind, *rest = event.split("\n")
    word, _, detail = kind.partition(" ")
    if word == "replan":
        when = f"（{detail.replace('today=', '今天为 ')}）" if detail else ""
        return f"重排{when}：{'；'.join(rest)}" if rest else f"重排{when}（无新的变化）"
    if word == "plan":
        return f"生成方案（{detail}）"
    if word == "results":
        return f"导入检查结果（{len(event_digests(event))} 个文件）"
    if word == "publish":
        return f"结果公示（{detail.split(' ')[0]}）"
    return "；".join([kind, *rest])
