"""Who went: the team a result records (实际检查人员), checked as the plan's rules check a team.

An item is checked by certified officers (执法证) of its department: at least as many as the visit sends of
that department (models.dataset.Dataset.officers_needed, the rule the draw, the scheduler and verify read), each
present on the day of the check (unavailable.csv and the plan's absences) and not recused from the business
(conflicts.csv). 协管员 and officers of other departments may go along; they do not count. A team that keeps
these rules but is not the planned one is a deviation: allowed, said, and logged (results_log.csv, team_changes).

Without the dataset the plan folder is all there is: the officers the draw ordered (inspector_orders.csv) and
the planned teams (assignments.csv) are certified, each of one department; presence and 回避 are not checked,
and the import says so.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from models.dataset import Dataset
from planner.output import read_csv_rows
from planner.plan.folder import LIST_SEP
from planner.plan.model import Plan, Visit

UNCHECKED_WITHOUT_DATA = "未提供数据集（--data）：实际检查人员是否当天在岗、是否需要回避未能核对；加 --data 数据集 可一并核对"


@dataclass(frozen=True)
class TeamChange:
    """A recorded team that keeps the rules but is not the planned one."""
    visit_id: str
    item_id: str
    planned: tuple[str, ...]
    recorded: tuple[str, ...]

    @property
    def key(self) -> str:
        """How results_log.csv names it: visit/item."""
        return f"{self.visit_id}/{self.item_id}"

    def words(self) -> str:
        return (f"检查 {self.visit_id} 事项 {self.item_id}：计划 {LIST_SEP.join(self.planned) or '无'}，"
                f"实际 {LIST_SEP.join(self.recorded)}")


@dataclass(frozen=True)
class TeamFacts:
    """What a recorded team is checked against."""
    officer_dept: dict[str, str]  # officer -> department
    certified: frozenset[str]
    planned: dict[tuple[str, str], tuple[str, ...]]  # (visit, department) -> the planned officers of it
    dataset: Dataset | None = None  # presence, 回避, names, the officers a visit needs; None: the folder only

    @classmethod
    def of(cls, folder: str | Path, plan: Plan, dataset: Dataset | None = None) -> TeamFacts:
        planned: dict[tuple[str, str], list[str]] = defaultdict(list)
        for a in plan.assignments:
            planned[a.visit_id, a.dept_id].append(a.inspector_id)
        if dataset is not None:
            people = {p.inspector_id: p.dept_id for p in dataset.inspectors}
            certified = frozenset(p.inspector_id for p in dataset.inspectors if p.certified)
        else:  # the draw orders certified officers only, and the planned teams are drawn from those orders
            people = {row["inspector_id"]: row["dept_id"] for row in read_csv_rows(Path(folder) / "inspector_orders.csv")}
            people |= {a.inspector_id: a.dept_id for a in plan.assignments}
            certified = frozenset(people)
        return cls(people, certified, {k: tuple(v) for k, v in planned.items()}, dataset)

    def needed(self, visit: Visit, dept_id: str) -> int:
        """Certified officers of `dept_id` the visit needs: the dataset's rule, else as many as were planned."""
        ds = self.dataset
        if ds is not None and all(i in ds.item for i in visit.item_ids):
            return ds.officers_needed(visit.item_ids, visit.lead_dept_id).get(dept_id, 1)
        return max(1, len(self.planned.get((visit.visit_id, dept_id), ())))

    def problems(self, visit: Visit, dept_id: str, team: tuple[str, ...], day: date) -> list[str]:
        """What breaks the rules in `team` recorded for an item of `dept_id` checked on `day`, in words."""
        out = []
        ds = self.dataset
        if ds is not None:
            out += [f"{self._name(p)} 在 {day.isoformat()} 不在岗（请假或外出，见 unavailable.csv）"
                    for p in team if p in ds.inspector and not ds.is_present(p, day)]
            out += [f"{self._name(p)} 与该企业有回避关系，不得参加该检查" for p in team
                    if (p, visit.credit_code) in ds.conflict_pairs]
        counted = [p for p in team if self.officer_dept.get(p) == dept_id and p in self.certified
                   and (ds is None or ds.is_present(p, day))]
        need = self.needed(visit, dept_id)
        if len(counted) < need:
            out.append(f"实际检查人员中只有 {len(counted)} 名{self._dept(dept_id)}的持证执法人员（当天在岗），该次检查至少需要 "
                       f"{need} 名；协管员和其他部门的人员可以同去，但不计入")
        return out

    def change(self, visit: Visit, item_id: str, dept_id: str, team: tuple[str, ...]) -> TeamChange | None:
        planned = self.planned.get((visit.visit_id, dept_id), ())
        return None if set(team) == set(planned) else TeamChange(visit.visit_id, item_id, planned, team)

    def _name(self, inspector_id: str) -> str:
        ds = self.dataset
        return f"{ds.inspector[inspector_id].name}（{inspector_id}）" if ds and inspector_id in ds.inspector else inspector_id

    def _dept(self, dept_id: str) -> str:
        ds = self.dataset
        return ds.department[dept_id].name if ds and dept_id in ds.department else f"部门 {dept_id} "
