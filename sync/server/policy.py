"""Who may do what on the platform, beyond field ownership: the steps documents and transfers move by, the
fields each step may carry, what can be voided, the keys the platform maintains, and the roles.

Entity scopes and field ownership are not here: they have one source, `app.ownership`, which the laptop's
registry (`app.entities`) is built from too.
"""

from __future__ import annotations

from typing import Final

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
