"""Who may write what: entity scopes and field ownership, as the platform enforces them.

These sets are COPIED from `app.entities.SPECS` (scope, platform_fields, officer_fields, append_only,
local_create) so that the server does not import the client's models; `tests/server/test_policy.py` asserts
that the two agree. Change both together.
"""

from __future__ import annotations

from typing import Final

from sync.protocol import ENTITY_NAMES

#: entities every team sees (records stored with township_id NULL)
GLOBAL_ENTITIES: Final = frozenset(
    {"township", "department", "unit", "catalogue_version", "matter", "case_config"}
)
#: entities that belong to one township (records stored with that township_id)
TOWNSHIP_ENTITIES: Final = frozenset(ENTITY_NAMES) - GLOBAL_ENTITIES

#: entities a laptop may create
LOCAL_CREATE: Final = frozenset(
    {"inspection_plan", "inspection", "finding", "evidence", "document", "referral", "random_draw", "case"}
) | frozenset({"intervention", "response_checkin", "complaint_reply", "grid_tier_change"})
#: created on laptops, never edited afterwards (voids are their own op; a document's issue/serve is allowed)
APPEND_ONLY: Final = frozenset({"finding", "evidence", "document", "referral", "random_draw"}) | frozenset(
    {"intervention", "response_checkin", "complaint_reply", "grid_tier_change"}
)
#: entities only the platform writes (a laptop update is refused with "platform_owned")
PLATFORM_ONLY: Final = frozenset(
    {
        "township",
        "department",
        "unit",
        "grid",
        "officer",
        "officer_interest",
        "target",
        "catalogue_version",
        "matter",
        "matter_empowerment",
        "case_config",
    }
) | frozenset({"complainant", "notice_reply"})

TASK_PLATFORM_FIELDS: Final = frozenset(
    {
        "number",
        "title",
        "description",
        "task_type",
        "source",
        "priority",
        "deadline",
        "township_id",
        "grid_id",
        "target_id",
        "dispatched_at",
        "assignee_ids",
        "matter_codes",
    }
)
TASK_OFFICER_FIELDS: Final = frozenset({"notes", "feedback"})
#: the one platform-owned task field a team leader may set from a laptop
TASK_LEADER_FIELDS: Final = frozenset({"assignee_ids"})
#: task fields that move only through the state machine (`transition`)
TASK_STATE_FIELDS: Final = frozenset({"status", "events"})

#: case fields a laptop may edit with an update (merged per field); everything else moves only by steps
CASE_OFFICER_FIELDS: Final = frozenset(
    {"title", "facts", "complex_case", "severe_harm", "act_end_date", "officer_ids", "party_legal_rep",
     "party_address", "updated_at"}
)

#: a transfer's tracking steps (open → sent → received → answered); the only update a referral takes, besides
#: linking its letter and case once
REFERRAL_STEPS: Final = {("open", "sent"), ("sent", "received"), ("received", "answered")}
REFERRAL_TRACK_FIELDS: Final = frozenset({"status", "tracking", "letter_id", "case_id", "updated_at"})

#: fields no update may touch on any entity
IMMUTABLE_FIELDS: Final = frozenset({"id", "version", "township_id", "created_at"})

#: entities whose model has its own "version" column (the catalogue edition); for them the sync version IS the
#: edition, because the client's `apply_wire` writes the change version into that column. They never change.
EDITION_ENTITIES: Final = frozenset({"catalogue_version", "matter_empowerment"})

DOCUMENT_STEPS: Final = {("draft", "issued"), ("issued", "served")}
#: fields a document may carry when it moves draft → issued (set at issue time)
DOCUMENT_ISSUE_FIELDS: Final = frozenset(
    {
        "status",
        "number",
        "year",
        "seq",
        "issued_at",
        "issued_by",
        "pdf_sha256",
        "content_sha256",
        "fields",
        "template_version",
        "body_kind",
        "body_id",
        "body_legal_name",
        "seal_name",
        "number_prefix",
        "matter_code",
        "catalogue_edition",
        "jurisdiction_reason",
    }
)
#: fields a document may carry when it moves issued → served
DOCUMENT_SERVE_FIELDS: Final = frozenset({"status", "service"})
#: void op targets
VOIDABLE: Final = frozenset({"evidence", "document"})
#: keys the platform itself maintains on a laptop-created record (ignored when a re-sent create is compared)
SERVER_MANAGED_KEYS: Final = frozenset({"uploaded", "version"})

#: who receives complainant identities (投诉举报人) in the change feed; other roles never get the rows
IDENTITY_ROLES: Final = frozenset({"leader", "centre"})

#: roles
ROLES: Final = ("leader", "officer", "clerk", "centre")


def is_global(entity: str) -> bool:
    return entity in GLOBAL_ENTITIES
