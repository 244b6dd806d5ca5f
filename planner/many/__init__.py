"""Many counties at once: a city's or a province's quarter (plan-many, verify-many).

Counties plan independently (their inspectors do not cross county lines), so each county is one job: load its
dataset from a path, plan it exactly as `plan` would alone, write its plan folder. An engine places the jobs —
one after another in this process, or as Ray tasks (one CPU each, no shared state) on this machine's cores or an
existing cluster — and the plans are byte-identical whichever engine ran them.
"""
from __future__ import annotations

from planner.many.run import ManyResult, plan_many, verify_many

__all__ = ["ManyResult", "plan_many", "verify_many"]
