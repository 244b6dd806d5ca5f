"""`bench [--what plan|replan|draw|load]`: benchmark figures side by side with the baselines (tools/bench)."""
from __future__ import annotations

import tempfile
import time
from pathlib import Path

from models.loader import load_dataset
from tools.bench import COUNTY, bench_plan, bench_replan, city_dataset
from tools.bench.draw import bench_lines


def add_arguments(p) -> None:
    p.add_argument("--data", action="append", help="数据集（可重复；缺省为县级夹具与城市级生成数据）")
    p.add_argument("--what", choices=["draw", "plan", "replan", "load"], default="plan")
    p.add_argument("--time-limit", type=float)


def run(args) -> int:
    with tempfile.TemporaryDirectory() as scratch:
        for path in args.data or [COUNTY, city_dataset(Path(scratch))]:
            started = time.perf_counter()
            dataset = load_dataset(path)
            loaded_s = time.perf_counter() - started
            if args.what == "load":
                lines = [f"{path}: {len(dataset.businesses)} 检查对象，读取 {loaded_s:.2f} 秒"]
            elif args.what == "draw":
                lines = bench_lines(path, dataset, loaded_s)
            elif args.what == "replan":
                lines = bench_replan(dataset, path, args.time_limit)
            else:
                lines = bench_plan(dataset, path, args.time_limit)
            print("\n".join(lines), flush=True)
    return 0
