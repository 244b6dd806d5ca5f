"""综合查一次: the CP-SAT joint schedule — the problem, the two stages, lexicographic solving, decomposition."""
