"""The 统计 area: grid patrol analysis with tier suggestions, high-frequency matters, overdue instructions, charts."""
