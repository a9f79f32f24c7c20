"""The 计划 area: plan list, the joint-inspection planner (综合查一次) and the random draw (双随机) dialog."""
