"""`bench --what export`: the county's export from the command line, with and without the per-visit documents
(检查通知书 with 检查码, 现场检查记录 / 一表通查: an HTML and a PDF each, and one PDF of each for printing)."""
from __future__ import annotations

import tempfile
from pathlib import Path

from tools.bench import bench_seed, run_cli

TODAY = "2026-09-20"  # before the quarter: every notice shows the week only
WITHOUT = "xlsx,ics,notice,pdf"
WITH = WITHOUT + ",visit"


def bench_export(dataset_path: str, time_limit: float | None) -> list[str]:
    from models.loading import load_dataset

    dataset = load_dataset(dataset_path)
    limit = ["--time-limit", str(time_limit)] if time_limit else []
    with tempfile.TemporaryDirectory() as scratch:
        plan_dir = Path(scratch) / "plan"
        run_cli("plan", dataset_path, "--out", plan_dir, "--quiet", "--seed", bench_seed(dataset), *limit)
        visits = len((plan_dir / "visits.csv").read_text(encoding="utf-8").splitlines()) - 1
        lines = [f"\n{dataset_path}: {visits} 次检查，导出（命令行，--today {TODAY}）"]
        for label, formats in (("不含每次检查的文书 without per-visit documents", WITHOUT),
                               ("含检查通知书、现场检查记录 with every notice and checklist", WITH)):
            out = Path(scratch) / formats.replace(",", "-")
            seconds, _ = run_cli("export", plan_dir, "--data", dataset_path, "--out", out, "--format", formats,
                                 "--today", TODAY)
            files = [p for p in out.rglob("*") if p.is_file()]
            size = sum(p.stat().st_size for p in files) / 1e6
            lines.append(f"  {label}: {seconds:.1f} 秒，{len(files)} 个文件，{size:.1f} MB")
    return lines
