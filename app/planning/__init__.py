"""Planning (计划): joint inspections (综合查一次) with their checks and merged checklists, random draws
(双随机一公开) that can be re-run from their snapshot and seed, and grid patrol analysis. Qt-free.

- `planner`: PlanDraft, check_plan (refusals, warnings, merge offers), suggest_matters, merged_checklist
- `service`: PlanService (create / update / cancel / link / merge / list), merge_plans
- `draws`, `draw_plans`, `prng`: DrawService, rerun, plans from a draw, the 公示 list
- `analysis`, `exports`: per-grid aggregates, tier suggestions, matter ranking, CSV / XLSX
- `config`: resources/config/planning.json
"""
