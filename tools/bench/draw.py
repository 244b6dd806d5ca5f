"""Benchmark of the draw: its time, and the door-knock saving next to independent draws of the same sizes."""
from __future__ import annotations

import time

from planner.draw import draw
from planner.draw.knocks import knocks_of_draw
from tools.bench import bench_seed
from tools.bench.year_draw import year_lines


def bench_lines(label: str, dataset, loaded_s: float | None = None) -> list[str]:
    started = time.perf_counter()
    result = draw(dataset, bench_seed(dataset))
    draw_s = time.perf_counter() - started
    started = time.perf_counter()
    knocks = knocks_of_draw(result, floor=True)
    knocks_s = time.perf_counter() - started
    independent = knocks["independent"]
    floor = knocks["floor"]
    floor_text = f"{floor['visits']}" + ("（已证最优）" if floor["optimal"] else f"（未证最优，下界 {floor['bound']}）")
    strata = sum(1 for f in result.frames if f.sample_size > 0)
    return [
        f"数据集 {label}" + (f"（读取 {loaded_s:.2f} 秒）" if loaded_s is not None else ""),
        f"  检查对象 {len(dataset.businesses)} 家；抽取层（事项×风险等级，样本非空）{strata} 个；"
        f"抽中（事项×对象）{knocks['pairs']} 项；检查人员随机顺序 {len(result.orders)} 份",
        f"  合并后上门（协调抽取）：{knocks['visits_merged']} 家次",
        f"  各部门独立抽取、分别上门（期望）：{independent['visits_separate_departments']:.1f} 家次"
        f" → 减少 {knocks['saving_percent']:.1f}%",
        f"  独立抽取后再合并（期望）：{independent['visits_merged']:.1f} 家次；"
        f"等概率抽样可达的期望下限 {knocks['uniform_bound']:.1f}；任意抽取的下限（整数规划）{floor_text}",
        f"  抽取耗时 {draw_s:.2f} 秒（对象与人员）；上门次数与下限计算 {knocks_s:.2f} 秒",
        *year_lines(dataset),
        "",
    ]
