"""双随机 draws, 综合查一次 schedules, exports and the command line."""
