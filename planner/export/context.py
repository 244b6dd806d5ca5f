"""A plan read together with its dataset: the names, addresses and teams every export shows."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from operator import attrgetter
from pathlib import Path

from models.dataset import Dataset, group_by
from models.period import Period
from models.problems import UserError
from planner.draw.files import DrawnPair, read_draw
from planner.export.formatting import LIST_JOIN, coordinates, dept_items_text, fixed_timestamp, group_by_dept
from planner.plan.folder import read_plan
from planner.plan.model import Assignment, Plan, Visit
from planner.plan.record import PlanRecord
from planner.quarter.publication import Due, publication_list


@dataclass(frozen=True, slots=True)
class TeamMember:
    inspector_id: str
    name: str
    dept_id: str
    dept_name: str

    def label(self) -> str:
        return f"{self.name}（{self.dept_name}）"


@dataclass(eq=False)
class ExportContext:
    plan: Plan
    dataset: Dataset
    draw: list[DrawnPair]
    today: date = field(default_factory=date.today)  # 结果公示: the day of the publicity list, what is overdue

    @classmethod
    def load(cls, plan_dir: Path, dataset: Dataset, today: date | None = None) -> ExportContext:
        context = cls(read_plan(plan_dir), dataset, read_draw(plan_dir), today or date.today())
        context.check_matches_dataset()
        return context

    def check_matches_dataset(self) -> None:
        """A plan made from another dataset would export wrong names: refuse instead of guessing."""
        ds = self.dataset
        unknown = sorted({v.credit_code for v in self.plan.visits if v.credit_code not in ds.business}
                         | {a.inspector_id for a in self.plan.assignments if a.inspector_id not in ds.inspector}
                         | {v.town_id for v in self.plan.visits if v.town_id not in ds.town})
        if unknown:
            shown = "、".join(unknown[:5]) + ("等" if len(unknown) > 5 else "")
            raise UserError(f"方案中有 {len(unknown)} 个编号在数据集中找不到（{shown}）。"
                            f"请确认 --data 指向生成该方案时使用的数据集")

    # --- the record -----------------------------------------------------------------------------
    @property
    def record(self) -> PlanRecord:
        assert self.plan.record is not None  # read_plan always reads it
        return self.plan.record

    @property
    def period(self) -> Period:
        return self.record.period

    @property
    def seed(self) -> str:
        return self.record.seed

    @cached_property
    def publication(self) -> list[Due]:
        """The results to publish on `today` (planner.quarter.publication), overdue ones first."""
        return publication_list(self.plan, self.today, self.dataset.calendar)

    @cached_property
    def timestamp(self) -> datetime:
        return fixed_timestamp(self.period)

    @property
    def input_digests(self) -> list[tuple[str, str]]:
        """(input file name, SHA-256) recorded when the plan was made, by file name."""
        return sorted(self.record.draw.inputs_sha256.items())

    # --- names ----------------------------------------------------------------------------------
    def dept_name(self, dept_id: str) -> str:
        return _name(self.dataset.department, dept_id)

    def zone_name(self, zone_id: str) -> str:
        return _name(self.dataset.zone, zone_id)

    def town_name(self, town_id: str) -> str:
        return _name(self.dataset.town, town_id)

    def inspector_name(self, inspector_id: str) -> str:
        return _name(self.dataset.inspector, inspector_id)

    def item_name(self, item_id: str) -> str:
        return _name(self.dataset.item, item_id)

    def joining_text(self, item_id: str) -> str:
        """'综合执法局、消防救援大队': the departments that join the item (配合部门), or ''."""
        item = self.dataset.item.get(item_id)
        return LIST_JOIN.join(self.dept_name(d) for d in item.co_dept_ids) if item else ""

    def item_label(self, item_id: str) -> str:
        """The item's name, with the departments that join it: '旅馆业经营规范检查（会同市场监督管理局）'."""
        joining = self.joining_text(item_id)
        return f"{self.item_name(item_id)}（会同{joining}）" if joining else self.item_name(item_id)

    def item_dept_id(self, item_id: str) -> str:
        item = self.dataset.item.get(item_id)
        return item.dept_id if item else ""

    def items_by_dept(self, item_ids) -> list[tuple[str, list[str]]]:
        """[(department name, [item names])] in the order the departments first appear."""
        return group_by_dept(self._dept_and_item_names(item_ids))

    def items_text(self, item_ids) -> str:
        """The items grouped by department in one line (see formatting.dept_items_text)."""
        return dept_items_text(self._dept_and_item_names(item_ids))

    def _dept_and_item_names(self, item_ids):
        return ((self.dept_name(self.item_dept_id(i)), self.item_label(i)) for i in item_ids)

    def business_name(self, credit_code: str, fallback: str = "") -> str:
        return _name(self.dataset.business, credit_code, fallback)

    def business_address(self, credit_code: str) -> str:
        business = self.dataset.business.get(credit_code)
        return business.address if business else ""

    def business_lat_lon(self, credit_code: str) -> tuple[float, float] | None:
        business = self.dataset.business.get(credit_code)
        return (business.lat, business.lon) if business else None

    def business_coordinates(self, credit_code: str) -> str:
        lat_lon = self.business_lat_lon(credit_code)
        return coordinates(*lat_lon) if lat_lon else ""

    # --- visits and teams -----------------------------------------------------------------------
    @cached_property
    def visits(self) -> list[Visit]:
        """Every visit in reading order: by date, then 片区, 乡镇 and visit id."""
        return sorted(self.plan.visits, key=lambda v: (v.date, v.zone_id, v.town_id, v.visit_id))

    @cached_property
    def visit(self) -> dict[str, Visit]:
        return {v.visit_id: v for v in self.plan.visits}

    @cached_property
    def assignments_by_visit(self) -> dict[str, list[Assignment]]:
        return group_by(self.plan.assignments, attrgetter("visit_id"))

    @cached_property
    def assignments_by_inspector(self) -> dict[str, list[Assignment]]:
        """inspector id -> their assignments by date, in inspector-id order."""
        return group_by(self._assignments_by_person_and_date, attrgetter("inspector_id"))

    @cached_property
    def assignments_by_dept(self) -> dict[str, list[Assignment]]:
        """dept id -> the assignments of its inspectors, by inspector id, then date."""
        return group_by(self._assignments_by_person_and_date, attrgetter("dept_id"))

    @cached_property
    def _assignments_by_person_and_date(self) -> list[Assignment]:
        return sorted(self.plan.assignments, key=lambda a: (a.inspector_id, a.date, a.visit_id))

    def team(self, visit: Visit) -> list[TeamMember]:
        """The visit's inspectors with their departments, lead department's members first."""
        dept_of = {a.inspector_id: a.dept_id for a in self.assignments_by_visit.get(visit.visit_id, ())}
        members = []
        for inspector_id in visit.inspector_ids:
            person = self.dataset.inspector.get(inspector_id)
            dept_id = dept_of.get(inspector_id) or (person.dept_id if person else "")
            members.append(TeamMember(inspector_id, self.inspector_name(inspector_id), dept_id,
                                      self.dept_name(dept_id)))
        return sorted(members, key=lambda m: (m.dept_id != visit.lead_dept_id, m.dept_id, m.inspector_id))

    def team_text(self, visit: Visit) -> str:
        return LIST_JOIN.join(m.label() for m in self.team(visit))

    @cached_property
    def visits_by_dept(self) -> dict[str, list[Visit]]:
        """dept id -> the visits it takes part in (its own and the joint ones it joins), in reading order."""
        out: dict[str, list[Visit]] = defaultdict(list)
        for visit in self.visits:
            for dept_id in set(visit.dept_ids):
                out[dept_id].append(visit)
        return dict(out)

    def dept_ids_in_plan(self) -> list[str]:
        """Departments with at least one visit, in the dataset's order (unknown ids last)."""
        used = self.visits_by_dept
        known = [d.dept_id for d in self.dataset.departments if d.dept_id in used]
        return known + sorted(set(used) - set(known))


def _name(index: dict, key: str, fallback: str = "") -> str:
    """The name of record `key`; for an id the dataset lacks, `fallback` or else the id itself."""
    record = index.get(key)
    return record.name if record else (fallback or key)
