"""What-ifs (假设分析): changes to the dataset, and minimal re-plans of a previous plan."""
