"""record.json: the plan's record, built once by the pipeline and read back by one function.

The draw's fields (seed, period, inputs, parameters, frames, door knocks …) stay at the top level as the data
contract names them; the solver's figures report every objective level on its own, beside the equivalent
weighted sum. The one measured value that differs between identical runs is `solver.wall_s`.
"""
from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from models.period import Period
from models.problems import UserError
from models.schema import BadValue
from models.settings import PLAN_KEYS, recorded_setting
from planner.draw.files import DrawRecord
from planner.output import holding_folder

RECORD_FILE = "record.json"
STAGE_WORDS = {"teams": "检查组", "days": "日期", "repair": "补排"}
# every objective level, in the order the stages rank them
LEVEL_WORDS = {"left_out": "未排程检查", "changes": "改动的日期与人员", "continuity": "复查未由首次检查人员参加",
               "zone_balance": "片区间负荷超出均衡目标", "loans": "跨片区借调人次", "visit_spread": "片区内检查次数差",
               "moved_days": "改期检查", "urgent_wait": "紧急检查等待的工作日", "pace_excess": "超出均匀进度的检查", "moved": "补排时改动的日期与人员"}


@dataclass
class LevelRecord:
    """One objective level of one stage, summed over the stage's parts."""
    stage: str  # "teams" | "days"
    name: str  # left_out, changes, loans, visit_spread, minute_spread, moved_days, pace_excess …
    value: int
    bound: int  # proven lower bound
    optimal: bool


@dataclass
class SolverRecord:
    status: str  # OPTIMAL when every level of every part was proven optimal, else FEASIBLE
    objective: int | None  # the levels as one weighted sum (lexicographic weights); None without a CP-SAT plan
    bound: int | None
    gap: float | None
    wall_s: float  # measured, the schedule's wall seconds (every model, the relaxation, searches, repair; not the
    # loading, the draw or the files): the only field that differs between identical runs
    time_limit_s: float
    work: float = 0.0  # CP-SAT deterministic time: the same on every machine
    levels: list[LevelRecord] = field(default_factory=list)
    stages: dict[str, dict] = field(default_factory=dict)  # stage -> parts, warm-start parts
    pinned: int = 0  # visits a re-plan kept without solving for them
    reproducible: bool = True  # False when the wall-clock safety stop or the stop button ended a search
    balance: dict[str, str] = field(default_factory=dict)  # department -> why its 片区 cannot meet zone_balance

    @property
    def quality(self) -> str:
        """The solver's result in words a coordinator reads (简体中文)."""
        if self.status == "OPTIMAL":
            return "已证明最优"
        if self.gap is None:
            return "部分子问题沿用贪心初始方案，未证明最优"
        first = next((level for level in self.levels if not level.optimal), None)
        if first is None:
            return "已证明最优"
        return (f"{LEVEL_WORDS.get(first.name, first.name)} {first.value}，与最优相差不超过 {max(self.gap, 0.0):.1%}"
                f"（已证明不少于 {first.bound}；更重要的目标均已证明最优）")


@dataclass
class PlanRecord:
    draw: DrawRecord
    solver: SolverRecord | None = None  # None in a draw-only folder
    metrics: dict = field(default_factory=dict)
    changes: list[str] = field(default_factory=list)  # every what-if change since the base dataset
    moved: int | None = None  # visits moved against the previous plan (re-plans only)
    commitment_chain: list[dict] = field(default_factory=list)  # planner.plan.commitment: one link per event
    parameters: dict = field(default_factory=dict)  # settings beyond the draw's (models.settings.plan_parameters)
    interrupted: bool = False  # Ctrl-C stopped the solve and --keep-partial wrote the plan anyway
    salt_key: str = ""  # the 检查码 salts' secret (planner.plan.commitment); "" in a plan made before them
    previous_quarters: dict = field(default_factory=dict)  # planner.plan.previous.EarlierQuarters.to_json()

    @property
    def commitment(self) -> str:
        """The digest the public notice prints: the last link of the chain."""
        return self.commitment_chain[-1]["commitment"] if self.commitment_chain else ""

    @property
    def seed(self) -> str:
        return self.draw.seed

    def setting(self, key: str) -> Any:
        """A setting the plan was made with (parameters), its default for a plan made before the key existed."""
        try:
            return recorded_setting(self.parameters, key)
        except BadValue as bad:
            raise UserError(f"{RECORD_FILE} 的 parameters.{key} 无法读取：{bad.message}；请恢复程序生成的原文件") from None

    @property
    def period(self) -> Period:
        """The period the plan was made for, parsed from record.json (a UserError if edited into nonsense)."""
        try:
            return Period.parse(self.draw.period)
        except BadValue:
            raise UserError(f"{RECORD_FILE} 中的 period「{self.draw.period}」无法识别，应为 2026Q4 或 "
                            "2026-10-01..2026-12-31；请恢复程序生成的原文件") from None

    def to_json(self) -> dict:
        out = self.draw.to_json()
        if self.solver is not None:
            out["solver"] = asdict(self.solver)
            out["metrics"] = self.metrics
            out["parameters"] = {**out["parameters"], **self.parameters, "time_limit_s": self.solver.time_limit_s}
        if self.changes:
            out["changes"] = list(self.changes)
        if self.moved is not None:
            out["moved"] = self.moved
        if self.commitment_chain:
            out["commitment"] = self.commitment
            out["commitment_chain"] = list(self.commitment_chain)
        if self.interrupted:
            out["interrupted"] = True
        if self.salt_key:
            out["salt_key"] = self.salt_key
        if self.previous_quarters:
            out["previous_quarters"] = self.previous_quarters
        return out

    @classmethod
    def from_json(cls, data: Any, where: str = RECORD_FILE) -> PlanRecord:
        """A record read back; anything malformed is a UserError naming the field."""
        if not isinstance(data, dict):
            raise UserError(f"{where} 的内容应为一个 JSON 对象（{{…}}），实际是 {type(data).__name__}；请重新生成方案")
        draw = DrawRecord(**{name: _typed(data, name, kind, where, default)
                             for name, (kind, default) in _DRAW_FIELDS.items()})
        solver = None
        if "solver" in data:
            raw = _typed(data, "solver", dict, where)
            try:
                levels = [LevelRecord(**_known(level, LevelRecord)) for level in
                          _typed(raw, "levels", list, where, [])]
                solver = SolverRecord(**{**_known(raw, SolverRecord), "levels": levels})
            except TypeError as error:
                raise UserError(f"{where} 的 solver 字段不完整（{error}）；请重新生成方案") from None
        changes = _typed(data, "changes", list, where, [])
        if not all(isinstance(c, str) for c in changes):
            raise UserError(f"{where} 的字段 changes 应为文字列表；请重新生成方案")
        chain = _typed(data, "commitment_chain", list, where, [])
        if not all(isinstance(link, dict) for link in chain):
            raise UserError(f"{where} 的字段 commitment_chain 格式不对；请重新生成方案")
        return cls(draw, solver, _typed(data, "metrics", dict, where, {}), changes,
                   _typed(data, "moved", int, where, None), chain,
                   {k: v for k, v in draw.parameters.items() if k in PLAN_KEYS},
                   _typed(data, "interrupted", bool, where, False), _typed(data, "salt_key", str, where, ""),
                   _typed(data, "previous_quarters", dict, where, {}))


REQUIRED = object()
_DRAW_FIELDS: dict[str, tuple[type, Any]] = {
    "seed": (str, REQUIRED), "period": (str, ""), "inputs_sha256": (dict, {}), "parameters": (dict, {}),
    "version": (str, ""), "frames": (list, []), "frames_sha256": (str, ""), "draw_files_sha256": (dict, {}),
    "door_knocks": (dict, {}), "inspector_orders": (dict, {})}


def _typed(data: dict, key: str, kind: type, where: str, default: Any = REQUIRED) -> Any:
    if key not in data:
        if default is REQUIRED:
            raise UserError(f"{where} 缺少字段 {key}；请重新生成方案")
        return default.copy() if isinstance(default, (list, dict)) else default
    value = data[key]
    if kind is str and isinstance(value, int) and not isinstance(value, bool):
        value = str(value)  # a seed written as a number
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is int):
        raise UserError(f"{where} 的字段 {key} 格式不对（应为 {kind.__name__}）；请重新生成方案")
    return value


def _known(raw: Any, cls) -> dict:
    """The fields of dataclass `cls` found in `raw` (keys of a newer version are ignored)."""
    if not isinstance(raw, dict):
        raise TypeError(f"{cls.__name__} 应为 JSON 对象")
    names = {f.name for f in fields(cls)}
    return {k: v for k, v in raw.items() if k in names}


def read_record(folder: str | Path) -> PlanRecord:
    """record.json of a plan (or draw) folder; a missing or malformed file is a UserError naming it. Read under
    the folder's lock, after a replacement a killed run left half done is repaired (planner.output)."""
    path = Path(folder) / RECORD_FILE
    with holding_folder(folder):
        if not path.is_file():
            raise UserError(f"{folder} 不是方案文件夹（缺少 {RECORD_FILE}）。请指定 draw 或 plan 命令生成的文件夹")
        text = path.read_bytes()
    try:
        data = json.loads(text.decode("utf-8"), parse_constant=_no_constant)
    except (ValueError, UnicodeDecodeError) as error:
        raise UserError(f"{path} 不是有效的 JSON 文件（{error}）；请重新生成方案") from None
    return PlanRecord.from_json(data, str(path))


def _no_constant(name: str) -> float:
    raise ValueError(f"不允许的数值 {name}")


def finite(value: float | None) -> float | None:
    """JSON has no NaN or infinity: such a figure is recorded as unknown (null)."""
    return value if value is None or math.isfinite(value) else None
