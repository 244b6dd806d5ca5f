"""Every plan the tool writes passes its own verify: the check runs on the files just written, inside the
temporary folder, before they replace anything (planner.output.atomic_folder). A finding is a bug of this tool,
said in Chinese; the output folder is then left as it was."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from models.dataset import Dataset
from models.problems import UserError
from planner.check.verify import verify_plan
from planner.plan.model import Plan
from planner.plan.pipeline import PlanRun
from planner.plan.record import read_record

SHOWN = 10  # findings listed in the message


def verified(base: Dataset, previous: Plan | None = None) -> Callable[[Path], None]:
    """A check for planner.plan.folder.write_plan_folder(check=…): verify what was written against `base` (the
    dataset before any what-if change) and, for a re-plan, the plan it started from. Any writer of a plan folder
    — plan, re-plan, an import of results, a 公示 — may pass it."""
    def check(folder: Path) -> None:
        # a seed given with --seed is the user's choice, already said when planning: verify flags it for the
        # auditor, but it is no defect of the plan
        seed = read_record(folder).seed
        as_seeded = replace(base, settings=replace(base.settings, seed=seed)) if base.settings.seed else base
        findings = verify_plan(folder, as_seeded, previous=previous).findings
        if findings:
            listed = "\n".join(f"  - {f}" for f in findings[:SHOWN])
            more = f"\n  - 另有 {len(findings) - SHOWN} 处" if len(findings) > SHOWN else ""
            raise UserError("程序缺陷：本程序刚生成的方案未通过它自己的复核（verify），为免留下不合规则的方案，"
                            f"没有写入（输出位置保持原样）。请把下列内容和所用的命令报告给开发者：\n{listed}{more}")
    return check


def write_verified(run: PlanRun, folder: str | Path, inputs=()) -> None:
    """The plan written whole, and only if it passes its own verify."""
    assert run.base is not None, "run_plan sets the base dataset"
    run.write(folder, inputs, check=verified(run.base, run.previous))
