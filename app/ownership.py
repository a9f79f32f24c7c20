"""Who owns what: the one source of entity scopes and field ownership, for the laptop and the platform alike.

Pure data, no models and no I/O: `app.entities` builds its registry (SPECS) from it and the reference platform
(`sync.server.policy`, `sync.server.mutations`) enforces the same sets, so a change here changes both sides.
Where ownership is "every column" (platform-only entities, the two officer-edited records) the registry reads
the columns from the model; the names of the entities and of the explicitly listed fields are spelled here.
"""

from __future__ import annotations

from typing import Final

#: every synced entity, by its wire name, in the order the platform seeds them
ENTITY_NAMES: Final = (
    "township", "department", "unit", "grid", "officer", "officer_interest", "target", "catalogue_version",
    "matter", "matter_empowerment", "task", "inspection_plan", "inspection", "finding", "evidence", "document",
    "referral", "random_draw",
    "intervention", "response_checkin", "complainant", "complaint_reply", "notice_reply", "grid_tier_change",
    "case", "case_config",
)

#: entities every team sees (records stored with township_id NULL)
GLOBAL_ENTITIES: Final = frozenset(
    {"township", "department", "unit", "catalogue_version", "matter", "case_config"}
)
#: entities that belong to one township (records stored with that township_id)
TOWNSHIP_ENTITIES: Final = frozenset(ENTITY_NAMES) - GLOBAL_ENTITIES

#: created on laptops, never edited afterwards (voids are their own op; a document's issue/serve is allowed)
APPEND_ONLY: Final = frozenset(
    {"finding", "evidence", "document", "referral", "random_draw", "intervention", "response_checkin",
     "complaint_reply", "grid_tier_change"}
)
#: records laptops edit freely: every column but these is officer-owned (merged per field)
OFFICER_EDITED: Final = frozenset({"inspection_plan", "inspection"})
OFFICER_EDITED_EXCEPT: Final = ("township_id", "created_at", "updated_at")
#: entities a laptop may create
LOCAL_CREATE: Final = APPEND_ONLY | OFFICER_EDITED | {"case"}
#: entities only the platform writes: every column is platform-owned (a laptop update is refused)
PLATFORM_ONLY: Final = frozenset(ENTITY_NAMES) - LOCAL_CREATE - {"task"}

#: task fields the platform owns (server wins; a local edit is kept in a conflict row)
TASK_PLATFORM_FIELDS: Final = frozenset(
    {"number", "title", "description", "task_type", "source", "priority", "deadline", "township_id", "grid_id",
     "target_id", "dispatched_at", "assignee_ids", "matter_codes"}
)
#: task text officers own (merged per field; same-field edits flagged)
TASK_OFFICER_FIELDS: Final = frozenset({"notes", "feedback"})
#: the one platform-owned task field a team leader may set from a laptop
TASK_LEADER_FIELDS: Final = frozenset({"assignee_ids"})
#: task fields that move only through the state machine (`transition`)
TASK_STATE_FIELDS: Final = frozenset({"status", "events"})

#: case fields merged per field from laptops; the stage and events move only by steps (transition mutations)
CASE_OFFICER_FIELDS: Final = frozenset(
    {"title", "facts", "complex_case", "severe_harm", "act_end_date", "officer_ids", "party_legal_rep",
     "party_address", "updated_at"}
)


def scope(entity: str) -> str:
    """"global" (every team sees it) or "township" (only that township's team)."""
    return "global" if entity in GLOBAL_ENTITIES else "township"
