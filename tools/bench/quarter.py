"""The quarter after the plan, on the county: results for the first half simulated (tools/simulate.py), the time
a 100-visit results import takes from the command line, `status` mid-quarter, and the re-plan that schedules the
re-checks (集成改一次) — with the check that no past or locked visit moved."""
from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

from models.loading import load_dataset
from models.rectification import recheck_needs
from planner.plan.folder import read_plan
from planner.plan.locking import first_unlocked
from tools.bench import run_cli
from tools.simulate import FOUND, results_csv, simulate_results

MID_QUARTER = date(2026, 11, 16)
PROBLEMS = 0.10  # share of checks that find a problem to put right
IMPORT_VISITS = 100
SIMULATION_SEED = 1


def bench_quarter(dataset_path: str, time_limit: float | None) -> list[str]:
    dataset = load_dataset(dataset_path)
    limit = ["--time-limit", str(time_limit)] if time_limit else []
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        plan_dir = folder / "plan"
        run_cli("plan", dataset_path, "--out", plan_dir, "--quiet", *limit)
        rows = simulate_results(read_plan(plan_dir), dataset, MID_QUARTER, PROBLEMS, SIMULATION_SEED)
        first = sorted({r[0] for r in rows})[:IMPORT_VISITS]
        batch = folder / "结果-前100次检查.csv"
        rest = folder / "结果-其余.csv"
        batch.write_bytes(results_csv([r for r in rows if r[0] in first]))
        others = [r for r in rows if r[0] not in first]
        rest.write_bytes(results_csv(others))
        today = ["--today", MID_QUARTER.isoformat()]
        import_s, _ = run_cli("results", plan_dir, "--add", batch, "--data", dataset_path, *today)
        if others:
            run_cli("results", plan_dir, "--add", rest, "--data", dataset_path, *today)
        _, status = run_cli("status", plan_dir, "--data", dataset_path, *today)
        replan_dir = folder / "replan"
        replan_s, _ = run_cli("plan", dataset_path, "--previous", plan_dir, "--out", replan_dir, "--quiet", *today, *limit)
        found = sum(r[3] == FOUND for r in rows)
        lines = [f"\n{dataset_path}: 模拟 {MID_QUARTER} 前的检查结果 {len(rows)} 条（{len({r[0] for r in rows})} 次检查），"
                 f"发现问题 {found} 条（每项检查 {PROBLEMS:.0%} 的概率）",
                 f"  导入 {IMPORT_VISITS} 次检查的结果（{sum(r[0] in first for r in rows)} 条，命令行）：{import_s:.2f} 秒",
                 f"  status --today {MID_QUARTER}:", *("    " + line for line in status.splitlines()),
                 *_recheck_lines(dataset, plan_dir, replan_dir, replan_s)]
    return lines


def _recheck_lines(dataset, plan_dir: Path, replan_dir: Path, seconds: float) -> list[str]:
    before, after = read_plan(plan_dir), read_plan(replan_dir)
    start = first_unlocked(dataset.workdays, MID_QUARTER, dataset.settings.lock_days) or date.max  # None: all past
    fixed = {(v.visit_id, v.date, v.inspector_ids) for v in before.visits if v.date < start}
    kept = {(v.visit_id, v.date, v.inspector_ids) for v in after.visits if v.date < start}
    needed = {need.credit_code for need in recheck_needs(before.visits, before.results)}
    planned = {v.credit_code for v in after.visits if v.kind == "recheck"}
    unplaced = [u for u in after.unscheduled if u.credit_code in needed - planned]
    return [f"  重排（--today {MID_QUARTER}，第一个可调整日 {start}）：命令行 {seconds:.1f} 秒；需要联合复查 {len(needed)} 家，"
            f"已排 {len(planned & needed)} 次，未排 {len(needed - planned)} 次；已过去或锁定的检查 {len(fixed)} 次，"
            f"重排后原样保留 {len(fixed & kept)} 次",
            *(f"    未排：{u.credit_code} {u.reason}" for u in unplaced[:5])]
