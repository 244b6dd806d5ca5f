"""`python -m planner verify`: re-derive the draw from record.json's seed and the dataset, compare it with the
plan folder, and re-check the plan's rules. Every finding names the item, risk class and business (简体中文)."""
from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from models.dataset import Dataset
from models.problems import UserError
from planner.check.annual import annual_findings, recorded_share
from planner.check.appointments import appointment_findings
from planner.check.carried import carried_findings, carried_ids, rederived_quarters
from planner.check.commitment import Published, commitment_findings, is_legacy, leaf_findings
from planner.check.resolve import resolve_findings
from planner.check.rules import check_plan
from planner.check.versions import kept_findings, kept_judges, plan_versions, previous_findings
from planner.draw import DRAW_METHOD, Draw, draw_parameters
from planner.draw.files import DRAW_COLUMNS, FRAME_COLUMNS, ORDER_COLUMNS, draw_files
from planner.output import repair_folder
from planner.plan.changes import apply_changes
from planner.plan.folder import read_plan, read_rows
from planner.plan.model import Plan
from planner.plan.previous import EarlierQuarters
from planner.plan.record import PlanRecord, read_record

MAX_NAMED = 5  # businesses named per message; the rest are counted
MAX_LISTED = 20  # messages listed per compared file


@dataclass
class Verification:
    """What `verify` found: empty `findings` means the folder matches the re-derived draw, every rule and its
    commitment."""
    record: PlanRecord
    findings: list[str]
    has_schedule: bool  # the folder holds a schedule (visits.csv), so the hard rules were checked too
    published: Published | None = None  # where the published commitment sits in the chain (--commitment)

    @property
    def legacy(self) -> bool:
        """Made before the Merkle tree: the chain holds no visits, the plan issues no 检查码."""
        return bool(self.record.commitment_chain) and is_legacy(self.record)


def verify_plan(plan_dir, base: Dataset, published: str | None = None, *, resolve: bool = False,
                previous: Plan | str | Path | None = None, previous_quarters=(), annual=None) -> Verification:
    """Check the folder's files against the last link of its commitment chain (and the chain against the
    `published` commitment), re-derive the draw from the recorded seed on `base` with the recorded what-if changes
    replayed, compare it with the folder, and re-check every hard rule of the schedule (when there is one).
    With `resolve`, also solve the plan again from its record (a re-plan from `previous`, a plan or its folder)
    and compare. `previous_quarters` (folders): the earlier quarters the record names, from which the yearly cap
    and the carry-over are re-derived (planner.check.carried); without them, the record's account of them is used.
    `annual` (planner.draw.year.QuarterShare, from the annual plan's folder): the share the record says the
    quarter drew is compared with it (planner.check.annual)."""
    folder = Path(plan_dir)
    repair_folder(folder)  # a replacement a killed run left half done (planner.output)
    if not folder.is_dir():
        raise UserError(f"找不到方案文件夹 {folder}。")
    record = read_record(folder)
    sealed, where = commitment_findings(folder, record, published)
    other = _another_dataset(folder, record, base)
    if other:
        return Verification(record, [other, *sealed], (folder / "visits.csv").is_file(), where)
    applied = apply_changes(base, record.changes)  # as the dataset has it now: its settings are compared
    quarters, findings = EarlierQuarters.from_json(record.previous_quarters), []
    if previous_quarters:
        quarters, findings = rederived_quarters(list(previous_quarters), base, quarters)
    share = recorded_share(record.draw.parameters)
    findings += annual_findings(share, annual) if annual is not None else []
    versions = plan_versions(record, base, quarters, share)
    last = versions[-1]
    findings += _draw_findings(folder, record, last.draw, applied.dataset)
    has_schedule = (folder / "visits.csv").is_file()
    plan = read_plan(folder) if has_schedule else None
    if plan is not None:
        findings += check_plan(last.dataset, plan, last.draw, last.applied.urgent, kept=kept_judges(plan, versions),
                               carried=carried_ids(plan))
        findings += carried_findings(last.dataset, plan, record.seed, quarters)
        findings += kept_findings(record, plan, versions, applied.dataset)
        findings += appointment_findings(folder, applied.appointments, plan)
        sealed += leaf_findings(record, plan, applied.dataset)
    wrong_previous = []
    if previous is not None:
        previous = previous if isinstance(previous, Plan) else read_plan(previous)
        wrong_previous = previous_findings(record, previous, plan, versions)
    if resolve and not wrong_previous:
        findings += resolve_findings(folder, base, record, previous)
    findings += wrong_previous
    return Verification(record, sealed + findings, has_schedule, where)


def _draw_findings(folder: Path, record: PlanRecord, derived: Draw, dataset: Dataset) -> list[str]:
    """Differences between the folder's draw and the draw re-derived from its recorded seed."""
    findings = _parameter_findings(record, dataset)
    findings += _input_findings(record, dataset)
    changed_frames, frame_findings = _frame_findings(record, derived, dataset, _published_frames(folder))
    file_findings = _file_digest_findings(record, folder)
    same = _same_bytes(folder, draw_files(derived))  # the files exactly as re-derived: no row to compare
    pair_findings = [] if "draw.csv" in same else _pair_findings(folder, derived, dataset, changed_frames)
    order_findings = [] if "inspector_orders.csv" in same else _order_findings(folder, derived, dataset)
    if (pair_findings or order_findings) and not (file_findings or changed_frames or _inputs_changed(record, dataset)):
        findings.append("draw.csv 与 record.json 中记录的文件摘要一致，但与按记录的种子重新推导的结果不同："
                        "record.json 中的随机种子或参数可能在抽取后被改动。")
    findings += _capped(frame_findings, "对象框") + file_findings + _drawn_business_findings(folder, dataset)
    findings += _capped(pair_findings, "draw.csv") + _capped(order_findings, "inspector_orders.csv")
    return findings


def _same_bytes(folder: Path, files: dict[str, bytes]) -> set[str]:
    """The names of `files` whose bytes the folder holds exactly."""
    return {name for name, data in files.items() if (folder / name).is_file() and (folder / name).read_bytes() == data}


def _capped(findings: list[str], name: str) -> list[str]:
    """At most MAX_LISTED findings per file: a changed seed would otherwise list every stratum."""
    if len(findings) <= MAX_LISTED:
        return findings
    return findings[:MAX_LISTED] + [f"{name} 另有 {len(findings) - MAX_LISTED} 处与重新推导不符，未逐条列出。"]


# --- record and parameters -------------------------------------------------------------------------

def _parameter_findings(record: PlanRecord, dataset: Dataset) -> list[str]:
    findings = []
    recorded = record.draw.parameters
    current = draw_parameters(dataset, bool(recorded.get("coordinated", True)))
    for key in sorted(current):
        if key in recorded and recorded[key] != current[key]:
            findings.append(f"抽取参数 {key}：record.json 记录为 {recorded[key]!r}，数据集现在为 {current[key]!r}"
                            f"（以下按记录的参数重新推导）。")
    if recorded.get("method", DRAW_METHOD) != DRAW_METHOD:
        findings.append(f"record.json 的抽取方法为 {recorded.get('method')}，本程序为 {DRAW_METHOD}，结果可能无法复现。")
    settings_seed = dataset.settings.seed
    if settings_seed and str(settings_seed) != record.seed:
        findings.append(f"随机种子：record.json 为 {record.seed}，数据集 settings.toml 事先公布的为 "
                        f"{settings_seed}。若抽取时用 --seed 另行指定了种子，请确认该种子已事先公开；"
                        "否则抽取结果可能是换种子重抽得来的。")
    if record.draw.period and record.draw.period != dataset.settings.period.text:
        findings.append(f"计划期：record.json 为 {record.draw.period}，数据集为 {dataset.settings.period}。")
    return findings


def _input_findings(record: PlanRecord, dataset: Dataset) -> list[str]:
    recorded = record.draw.inputs_sha256
    current = dataset.inputs_sha256
    findings = []
    for name in sorted(set(recorded) | set(current)):
        if name not in current:
            findings.append(f"输入文件 {name}：抽取时存在，现在的数据集中没有。")
        elif name not in recorded:
            findings.append(f"输入文件 {name}：抽取时没有，现在的数据集中有。")
        elif recorded[name] != current[name]:
            findings.append(f"输入文件 {name} 在抽取后被改动（SHA-256 摘要与 record.json 不符）。")
    return findings


def _another_dataset(folder: Path, record: PlanRecord, dataset: Dataset) -> str | None:
    """One sentence when not one input file is the one the plan was made from and the period or most drawn
    businesses are not the dataset's either: comparing row by row would only list every business of another
    dataset."""
    recorded, current = record.draw.inputs_sha256, dataset.inputs_sha256
    if not recorded or any(current.get(name) == digest for name, digest in recorded.items()):
        return None
    drawn = {row.get("credit_code", "") for row in read_rows(folder / "draw.csv", DRAW_COLUMNS)}
    unknown = sum(code not in dataset.business for code in drawn)
    if record.draw.period == dataset.settings.period.text and 2 * unknown <= len(drawn):
        return None
    names = "、".join(sorted(recorded)[:MAX_NAMED]) + (f" 等 {len(recorded)} 个文件" if len(recorded) > MAX_NAMED else "")
    return (f"[数据集] 所给数据集的输入文件（{names}）没有一个与 record.json 记录的生成方案时的输入相同"
            f"（SHA-256 摘要）：这是另一个数据集（方案的计划期为 {record.draw.period}，所给数据集为 "
            f"{dataset.settings.period.text}），不是生成该方案时的那一个。请用生成方案时的数据集核对，未逐条比对。")


def _inputs_changed(record: PlanRecord, dataset: Dataset) -> bool:
    return bool(_input_findings(record, dataset))


# --- frames ------------------------------------------------------------------------------------------

def _published_frames(folder: Path) -> dict[tuple[str, str], set[str]] | None:
    """(item_id, risk_level) -> credit codes of frames.csv, the frames published with the draw."""
    path = folder / "frames.csv"
    if not path.exists():
        return None
    published: dict[tuple[str, str], set[str]] = defaultdict(set)
    for row in read_rows(path, FRAME_COLUMNS):
        published[(row.get("item_id", ""), row.get("risk_level", ""))].add(row.get("credit_code", ""))
    return published


def _frame_findings(record: PlanRecord, derived: Draw, dataset: Dataset, published) -> tuple[set, list[str]]:
    """Frames that differ from the recorded digests, naming the businesses that entered or left each one
    (by the published frames.csv)."""
    if not record.draw.frames:
        return set(), ["record.json 中没有对象框摘要（frames），无法逐个核对对象框。"]
    try:
        recorded = {(f["item_id"], f["risk_level"]): f for f in record.draw.frames}
    except (KeyError, TypeError):
        return set(), ["record.json 的对象框摘要（frames）格式不对，无法逐个核对对象框。"]
    now = {(f.item_id, f.risk_level): f for f in derived.frames}
    changed, findings = set(), []
    for key in sorted(set(recorded) | set(now)):
        where = _stratum(dataset, *key)
        if key not in now:
            findings.append(f"{where}：抽取时有此对象框，现在的数据集中没有（事项被删除？）。")
        elif key not in recorded:
            findings.append(f"{where}：现在的数据集中有此对象框，抽取时没有（事项是新加的？）。")
        elif recorded[key].get("sha256") != now[key].sha256:
            changed.add(key)
            findings.append(f"{where}：对象框与抽取时不同（抽取时 {recorded[key].get('frame_size')} 家，现在 "
                            f"{now[key].frame_size} 家{_frame_change(dataset, published, key, now[key])}）。")
        elif recorded[key].get("sample_size") != now[key].sample_size:
            findings.append(f"{where}：抽取数量记录为 {recorded[key].get('sample_size')}，"
                            f"按抽查比例应为 {now[key].sample_size}。")
    return changed, findings


def _frame_change(dataset: Dataset, published, key, frame) -> str:
    if published is None:
        return "；SHA-256 摘要不符：对象的行业、风险等级、豁免或本年检查记录可能被改动"
    old, new = published.get(key, set()), set(frame.codes)
    parts = [f"；新增 {_names(dataset, sorted(new - old))}" if new - old else "",
             f"；移出 {_names(dataset, sorted(old - new))}" if old - new else ""]
    return "".join(parts) or "；与公布的 frames.csv 相同，但摘要不符：frames.csv 可能被改动"


# --- draw.csv ----------------------------------------------------------------------------------------

def _file_digest_findings(record: PlanRecord, folder: Path) -> list[str]:
    findings = []
    for name, digest in sorted(record.draw.draw_files_sha256.items()):
        path = folder / name
        if not path.exists():
            findings.append(f"方案文件夹中缺少 {name}。")
        elif hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            findings.append(f"{name} 在抽取后被改动（SHA-256 摘要与 record.json 不符）。")
    return findings


def _pair_findings(folder: Path, derived: Draw, dataset: Dataset, changed_frames: set) -> list[str]:
    """draw.csv against the re-derived pairs. In a frame that changed, only who is drawn is compared: its
    frame_size, sample_size and ranks follow the frame and were reported with it."""
    path = folder / "draw.csv"
    if not path.exists():
        return []  # reported with the file digests
    in_file = {}
    for row in read_rows(path, DRAW_COLUMNS):
        key = (row.get("item_id", ""), row.get("risk_level", ""), row.get("credit_code", ""))
        in_file[key] = {c: row.get(c, "") for c in ("dept_id", "frame_size", "sample_size", "rank")}
    expected = {(p.item_id, p.risk_level, p.credit_code):
                {"dept_id": p.dept_id, "frame_size": str(p.frame_size), "sample_size": str(p.sample_size),
                 "rank": str(p.rank)} for p in derived.pairs}
    extra, missing, changed = defaultdict(list), defaultdict(list), defaultdict(list)
    for key in sorted(set(in_file) | set(expected)):
        stratum, code = key[:2], key[2]
        if key not in expected:
            extra[stratum].append(code)
        elif key not in in_file:
            missing[stratum].append(code)
        elif in_file[key] != expected[key] and stratum not in changed_frames:
            fields = [f"{c} 为 {in_file[key][c]}（应为 {expected[key][c]}）"
                      for c in expected[key] if in_file[key][c] != expected[key][c]]
            changed[stratum].append(f"{_business(dataset, code)}：{'，'.join(fields)}")
    findings = []
    for stratum in sorted(set(extra) | set(missing) | set(changed)):
        where = _stratum(dataset, *stratum)
        if extra[stratum]:
            findings.append(f"{where}：draw.csv 列出的对象不在重新推导的样本中：{_names(dataset, extra[stratum])}。")
        if missing[stratum]:
            findings.append(f"{where}：重新推导抽中的对象在 draw.csv 中缺失：{_names(dataset, missing[stratum])}。")
        for text in changed[stratum][:MAX_NAMED]:
            findings.append(f"{where}：draw.csv 中 {text}。")
        if len(changed[stratum]) > MAX_NAMED:
            findings.append(f"{where}：另有 {len(changed[stratum]) - MAX_NAMED} 行与重新推导不符。")
    return findings


def _drawn_business_findings(folder: Path, dataset: Dataset) -> list[str]:
    """Drawn businesses whose registry row no longer fits the row draw.csv published for them."""
    path = folder / "draw.csv"
    if not path.exists():
        return []
    findings, seen = [], set()
    for row in read_rows(path, DRAW_COLUMNS):
        code, item_id = row.get("credit_code", ""), row.get("item_id", "")
        business, item = dataset.business.get(code), dataset.item.get(item_id)
        where = _stratum(dataset, item_id, row.get("risk_level", ""))
        if business is None:
            findings.append(f"{where}：抽中的对象 {code} 已不在检查对象名录库中。")
            continue
        if business.risk_level != row.get("risk_level") and code not in seen:
            findings.append(f"{_business(dataset, code)}：draw.csv 中风险等级为 {row.get('risk_level')}，"
                            f"名录库现在为 {business.risk_level}。")
        if item is not None and business.category_id not in item.category_ids:
            findings.append(f"{where}：{_business(dataset, code)} 的行业 {business.category_id} 不在该事项的适用行业中。")
        if business.exempt_through(dataset.settings.end) and code not in seen:
            findings.append(f"{_business(dataset, code)}：已被列为免检（白名单/无事不扰），不应在抽取对象框中。")
        seen.add(code)
    return findings


# --- inspector_orders.csv ------------------------------------------------------------------------------

def _order_findings(folder: Path, derived: Draw, dataset: Dataset) -> list[str]:
    path = folder / "inspector_orders.csv"
    if not path.exists():
        return []
    in_file: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for row in sorted(read_rows(path, ORDER_COLUMNS), key=lambda r: (r.get("credit_code", ""), r.get("dept_id", ""),
                                                         _int(r.get("rank")))):
        in_file[(row.get("credit_code", ""), row.get("dept_id", ""))].append(
            (row.get("inspector_id", ""), row.get("shortlisted", "")))
    # an empty order (a 片区 nobody may serve under cross_zone = forbid) has no row in the file
    expected = {key: [(officer, "true" if officer in derived.shortlists[key] else "false") for officer in order]
                for key, order in derived.orders.items() if order}
    findings = []
    for key in sorted(set(in_file) | set(expected)):
        where = f"{_business(dataset, key[0])} 的 {_dept(dataset, key[1])} 检查人员随机顺序"
        if key not in expected:
            findings.append(f"{where}：inspector_orders.csv 中有，重新推导没有（该部门未抽中此对象）。")
        elif key not in in_file:
            findings.append(f"{where}：重新推导应有，inspector_orders.csv 中缺失。")
        elif in_file[key] != expected[key]:
            file_ids = "、".join(i for i, flag in in_file[key] if flag == "true")
            want_ids = "、".join(i for i, flag in expected[key] if flag == "true")
            findings.append(f"{where}与重新推导不符（文件中入围：{file_ids or '无'}；应为：{want_ids or '无'}）。")
    return findings


# --- naming --------------------------------------------------------------------------------------------

def _stratum(dataset: Dataset, item_id: str, risk_level: str) -> str:
    item = dataset.item.get(item_id)
    name = f"事项 {item_id}（{item.name}）" if item else f"事项 {item_id}"
    return f"{name} 风险等级 {risk_level}"


def _business(dataset: Dataset, code: str) -> str:
    business = dataset.business.get(code)
    return f"对象 {code}（{business.name}）" if business else f"对象 {code}（名录库中没有）"


def _dept(dataset: Dataset, dept_id: str) -> str:
    dept = dataset.department.get(dept_id)
    return f"{dept.name}（{dept_id}）" if dept else dept_id


def _names(dataset: Dataset, codes: list[str]) -> str:
    named = "、".join(_business(dataset, c) for c in codes[:MAX_NAMED])
    return named + (f" 等 {len(codes)} 家" if len(codes) > MAX_NAMED else "")


def _int(text) -> int:
    try:
        return int(text)
    except (TypeError, ValueError):
        return 0
