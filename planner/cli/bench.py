"""`bench [--what plan|city|tight|replan|balance|quarter|draw|load|many|draw-scale|export|app]`: benchmark figures side
by side with the baselines (tools/bench). `plan` (the default) runs the county and a hold-out-sized county, `city`
the generated city: the peers, then each zone_balance setting."""
from __future__ import annotations

import tempfile
import time
from pathlib import Path

from models.loading import load_dataset
from planner.cli.plan_many import show_progress
from tools.bench import COUNTY, bench_balance, bench_plan, bench_replan, bench_tight, city_dataset, holdout_dataset
from tools.bench.app import bench_app
from tools.bench.draw import bench_lines
from tools.bench.draw_scale import bench_draw_scale
from tools.bench.export import bench_export
from tools.bench.many import bench_many
from tools.bench.quarter import bench_quarter


def add_arguments(p) -> None:
    p.add_argument("--data", action="append",
                   help="数据集（可重复；缺省为县级夹具与同规模的留出县，--what city 为城市级生成数据）")
    p.add_argument("--what", choices=["draw", "plan", "city", "tight", "replan", "balance", "quarter", "load", "many",
                                      "draw-scale", "export", "app"], default="plan")
    p.add_argument("--time-limit", type=float)
    p.add_argument("--businesses", type=int, default=1_000_000, help="draw-scale：内存中生成的检查对象数量")


def run(args) -> int:
    if args.what == "many":
        return _print(bench_many(args.time_limit, on_done=show_progress))
    if args.what == "quarter":
        return _print(bench_quarter(args.data[0] if args.data else COUNTY, args.time_limit))
    if args.what == "tight":
        return _print(bench_tight(args.time_limit))
    if args.what == "export":
        return _print(bench_export(args.data[0] if args.data else COUNTY, args.time_limit))
    if args.what == "app":
        return _print(bench_app()[0])
    if args.what == "draw-scale":
        return _print(bench_draw_scale(load_dataset(args.data[0] if args.data else COUNTY), args.businesses))
    with tempfile.TemporaryDirectory() as scratch:
        default = {"plan": lambda: [COUNTY, holdout_dataset(Path(scratch))],
                   "city": lambda: [city_dataset(Path(scratch))]}.get(args.what,
                                                                       lambda: [COUNTY, city_dataset(Path(scratch))])
        for path in args.data or default():
            started = time.perf_counter()
            dataset = load_dataset(path)
            loaded_s = time.perf_counter() - started
            if args.what == "load":
                lines = [f"{path}: {len(dataset.businesses)} 检查对象，读取 {loaded_s:.2f} 秒"]
            elif args.what == "draw":
                lines = bench_lines(path, dataset, loaded_s)
            elif args.what == "replan":
                lines = bench_replan(path, path, args.time_limit)
            elif args.what == "balance":
                lines = bench_balance(dataset, path, args.time_limit)
            elif args.what == "city":  # the peers, then what each zone_balance costs (best against the default)
                lines = bench_plan(dataset, path, args.time_limit) + bench_balance(dataset, path, args.time_limit)
            else:
                lines = bench_plan(dataset, path, args.time_limit)
            print("\n".join(lines), flush=True)
    return 0


def _print(lines: list[str]) -> int:
    print("\n".join(lines), flush=True)
    return 0
