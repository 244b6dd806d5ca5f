"""What-ifs (假设分析) in words; the changes themselves and the re-plan are planner.plan.changes and planner.plan.api."""
