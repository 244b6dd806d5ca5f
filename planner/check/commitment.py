"""verify against the commitment chain (docs/commitment.md): the folder's files against the last link, the chain
against itself and against the changes record.json lists, and the commitment published in the notice."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from models.dataset import Dataset
from models.problems import UserError
from planner.output import read_csv_rows
from planner.plan import commitment
from planner.plan.folder import LOG_FILE
from planner.plan.model import Plan
from planner.plan.record import RECORD_FILE, PlanRecord
from planner.plan.visit_code import BadCode, Code, parse_code, visit_leaves

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
    if RECORD_FILE not in (last.get("files") or {}):
        now.pop(RECORD_FILE, None)  # a link written before record.json was committed to
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
    first = commitment.parse_event(events[0])
    expected = commitment.plan_event(record.seed, record.period.text)
    if first.kind != "plan" or {k: first.words.get(k) for k in ("seed", "period")} != \
            {"seed": record.seed, "period": record.period.text}:
        findings.append(f"[承诺] 承诺链第 1 环记录的是「{events[0].splitlines()[0] if events[0] else ''}」，"
                        f"与 record.json 的「{expected}」不符。")
    chained = [change for event in events for change in commitment.parse_event(event).changes]
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


def event_text(event: str) -> str:
    """An event of the chain in words."""
    kind, *rest = event.split("\n")
    word, _, detail = kind.partition(" ")
    if word == "replan":
        when = f"（{detail.replace('today=', '今天为 ')}）" if detail else ""
        return f"重排{when}：{'；'.join(rest)}" if rest else f"重排{when}（无新的变化）"
    if word == "plan":
        return f"生成方案（{detail}）" + (f"：{'；'.join(rest)}" if rest else "")
    if word == "results":
        return f"导入检查结果（{len(event_digests(event))} 个文件）"
    if word == "publish":
        return f"结果公示（{detail.split(' ')[0]}）"
    return "；".join([kind, *rest])


# --- 检查码 (docs/commitment.md: verdicts) ---------------------------------------------------------------------

@dataclass
class Verdict:
    """What a 检查码 proves against a published root (and the public chain, when given)."""
    status: str  # valid | still_valid | superseded | invalid
    message: str  # one sentence, 简体中文
    code: Code | None = None

    @property
    def valid(self) -> bool:
        return self.status in ("valid", "still_valid")


KIND_WORDS = {"plan": "生成方案", "replan": "重排", "results": "导入检查结果", "publish": "结果公示"}


def code_verdict(text: str, root: str | None, links: list[dict] | None = None) -> Verdict:
    """The verdict on code `text` against `root` (default: the chain's last root), with the public chain's
    `links` (planner.plan.commitment.public_chain) telling a superseded code from an invalid one."""
    if links is not None:
        broken = commitment.broken_links(links, public=True)
        if broken:
            raise UserError(f"承诺链第 {broken[0]} 环的承诺值与它列出的叶子不符：承诺链文件被改动，不能据此核验。")
        if not links:
            raise UserError("承诺链是空的，不能据此核验。")
        root = root or str(links[-1].get("commitment", ""))
    if root is None:
        raise UserError("请用 --root 给出公示的方案承诺值，或用 --chain / --plan 给出承诺链。")
    try:
        code = parse_code(text)
    except BadCode as bad:
        return Verdict("invalid", f"无效：这不是有效的检查码（{bad}）。")
    if code.computed_root() != code.root:
        return Verdict("invalid", "无效：检查码的内容与它自带的证明不符——检查码被改动过，或不是本系统签发的。", code)
    what = visit_summary(code)
    if code.root == root:
        return Verdict("valid", f"有效：{what}在公示的抽查计划（承诺值 {root[:16]}…）中。", code)
    roots = [str(link.get("commitment", "")) for link in links or []]
    if code.root not in roots or root not in roots:
        missing = "签发该检查码时的承诺值" if code.root not in roots else "所给的承诺值"
        hint = "" if links is not None else "；若计划经过重排，请用 --chain（公示/承诺链.json）判断检查码是否已被取代"
        return Verdict("invalid", f"无效：{what}——{missing}不在{'承诺链中' if links is not None else '核验依据中'}"
                                  f"（检查码签发于承诺值 {code.root[:16]}…，核验的是 {root[:16]}…）{hint}。", code)
    issued, against = roots.index(code.root), roots.index(root)
    if against < issued:
        return Verdict("invalid", f"无效：{what}——检查码签发于所给承诺值之后的版本，请用最新公示的承诺值核验。", code)
    for k in range(issued + 1, against + 1):
        if code.leaf in links[k].get("removed_leaves", []):
            kind = KIND_WORDS.get(str(links[k].get("kind")), str(links[k].get("kind")))
            return Verdict("superseded", f"已被取代：{what}——承诺链第 {k + 1} 环（{kind}）调整了这次检查，"
                                         "该检查码只对旧版本有效；请以新签发的检查通知书为准。", code)
    return Verdict("still_valid", f"仍然有效：{what}——检查码签发于承诺链第 {issued + 1} 环，此后这次检查没有调整"
                                  f"（核验的是第 {against + 1} 环）。", code)


def visit_summary(code: Code) -> str:
    """'天马小吃店（9133…）2026-10-14 的检查（市场监督管理局牵头）' from the code's own fields."""
    when = code.day.isoformat() if code.day else f"{code.field('week')} 起一周内"
    return f"{code.field('business')}（{code.field('credit_code')}）{when}的检查（{code.field('lead')}牵头）"


def read_public_chain(path: Path) -> list[dict]:
    """The links of a public chain file (公示/承诺链.json); a bad file is a UserError naming it."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError) as error:
        raise UserError(f"无法读取承诺链文件 {path}（{error}）；请使用导出的 公示/承诺链.json") from None
    links = data.get("links") if isinstance(data, dict) else None
    if not isinstance(links, list) or data.get("format") != commitment.PUBLIC_FORMAT \
            or not all(isinstance(link, dict) for link in links):
        raise UserError(f"{path} 不是承诺链文件（应为 export 写出的 公示/承诺链.json）")
    return links
