"""Wire schemas of the platform's sync API, version 1 (`/api/v1`), shared by the client and the reference server.

The client validates every response against these models before it touches the store, so a garbled or
hostile payload is rejected as a whole (`ProtocolError`) and the store is left as it was.
"""

from __future__ import annotations

from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

from app.ownership import ENTITY_NAMES

API_PREFIX = "/api/v1"
MAX_BATCH = 500  # mutations per push request
MAX_PAGE = 2000  # changes per pull page

EntityName = Literal[
    "township", "department", "unit", "grid", "officer", "officer_interest", "target", "catalogue_version",
    "matter", "matter_empowerment", "task", "inspection_plan", "inspection", "finding", "evidence", "document",
    "referral", "random_draw",
    "intervention", "response_checkin", "complainant", "complaint_reply", "notice_reply", "grid_tier_change",
    "case", "case_config",
]
if set(get_args(EntityName)) != set(ENTITY_NAMES):  # the wire type spells the names of app.ownership
    raise ImportError("sync.protocol.EntityName and app.ownership.ENTITY_NAMES differ")


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore")


# ---- auth ------------------------------------------------------------------------------------------------

class LoginRequest(_Model):
    username: str = Field(min_length=1, max_length=60)
    password: str = Field(min_length=1, max_length=200)
    device_id: str = Field(min_length=8, max_length=64)


class RefreshRequest(_Model):
    refresh_token: str = Field(min_length=16)
    device_id: str = Field(min_length=8, max_length=64)


class UserInfo(_Model):
    username: str
    name: str
    role: Literal["leader", "officer", "clerk", "centre"]
    township_id: str | None
    officer_id: str | None


class TokenResponse(_Model):
    access_token: str = Field(min_length=16)
    refresh_token: str = Field(min_length=16)
    expires_in: int = Field(gt=0)  # seconds the access token lives
    user: UserInfo


# ---- pull ------------------------------------------------------------------------------------------------

class Change(_Model):
    entity: EntityName
    id: str = Field(min_length=1, max_length=64)
    version: int = Field(ge=1)
    op: Literal["upsert", "delete"]
    data: dict[str, Any] | None = None  # full record for upsert; None for delete (tombstone)


class ChangesPage(_Model):
    changes: list[Change]
    next_cursor: int = Field(ge=0)
    has_more: bool
    #: the platform's newest commit sequence when the page was read; a next_cursor beyond it is refused.
    #: None from a platform that predates the field (then only MAX_CURSOR bounds the cursor).
    head: int | None = Field(default=None, ge=0)


MAX_CURSOR = 2**63 - 1  # a commit sequence is a 64-bit integer on every platform; anything larger is garbage


# ---- push ------------------------------------------------------------------------------------------------

MutationOp = Literal["create", "update", "transition", "void"]


class Mutation(_Model):
    """`data` by op — create: the full record; update: {"fields": {name: new}, "base": {name: old}};
    transition: {"action", "actor", "at", "reason", "feedback", "event_id"}; void: {"reason"}."""

    mutation_id: str = Field(min_length=8, max_length=64)
    device_seq: int = Field(ge=0)
    entity: EntityName
    entity_id: str = Field(min_length=1, max_length=64)
    op: MutationOp
    base_version: int = Field(ge=0)
    data: dict[str, Any]


class MutationBatch(_Model):
    device_id: str = Field(min_length=8, max_length=64)
    mutations: list[Mutation] = Field(max_length=MAX_BATCH)


class MutationResult(_Model):
    mutation_id: str
    status: Literal["applied", "duplicate", "conflict", "rejected"]
    version: int | None = None  # applied / duplicate: the record's version after the mutation
    server: dict[str, Any] | None = None  # conflict: the server's values of the conflicting fields
    yours: dict[str, Any] | None = None  # conflict: the values this mutation tried to write
    applied_fields: list[str] | None = None  # conflict: fields of the same mutation that did merge
    code: str | None = None  # rejected: machine code
    reason: str | None = None  # rejected: Chinese, for a person


class MutationResults(_Model):
    results: list[MutationResult]


# ---- evidence uploads (tus-style) ------------------------------------------------------------------------

class UploadCreate(_Model):
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    size: int = Field(ge=0)
    evidence_id: str | None = None


class UploadState(_Model):
    upload_id: str | None = None
    offset: int = Field(ge=0)
    size: int = Field(ge=0)
    complete: bool
    receipt: UploadReceipt | None = None


class UploadReceipt(_Model):
    sha256: str
    size: int
    received_at: str
    signature: str  # server HMAC over sha256|size|received_at


UploadState.model_rebuild()

CHECKSUM_HEADER = "Upload-Checksum"  # "sha256 <base64 digest of this chunk>"
OFFSET_HEADER = "Upload-Offset"
CHECKSUM_MISMATCH_STATUS = 460  # tus "Checksum Mismatch": the chunk's bytes do not match its Upload-Checksum


# ---- document numbers ------------------------------------------------------------------------------------

class NumberBlockRequest(_Model):
    body_id: str
    doc_type: str
    year: int = Field(ge=2000, le=2100)
    size: int = Field(ge=1, le=1000)
    device_id: str = Field(min_length=8, max_length=64)


class NumberBlockResponse(_Model):
    body_id: str
    doc_type: str
    year: int
    start: int = Field(ge=1)
    end: int = Field(ge=1)


# ---- audit anchors ---------------------------------------------------------------------------------------

class AnchorRequest(_Model):
    device_id: str = Field(min_length=8, max_length=64)
    chain_id: str = Field(min_length=8, max_length=64)
    seq: int = Field(ge=1, le=2**63 - 1)
    hash: str = Field(pattern=r"^[0-9a-f]{64}$")


class AnchorReceipt(_Model):
    """The platform's Ed25519 signature over `payload` (canonical JSON of chain_id, device_id, seq, hash,
    received_at); `public_key` is the platform's raw 32-byte key, base64 — the client pins it on first use."""

    payload: str = Field(max_length=2000)
    signature: str = Field(max_length=200)
    public_key: str = Field(max_length=100)
    regressed: bool = False  # the platform saw a longer or different head of this chain before


class ErrorBody(_Model):
    code: str
    message: str  # Chinese


# ---- replica checksums (sums mod 2^64 of app.rules.checksum.record_hash) ---------------------------------

class ScopeSum(_Model):
    count: int = Field(ge=0)
    checksum: int = Field(ge=0, lt=2**64)  # Σ record_hash(entity, id, version) mod 2^64
    ids: int = Field(ge=0, lt=2**64)  # Σ record_hash(entity, id, None): for records kept without a version


class Checksums(_Model):
    """`GET /sync/checksums`: per scope "township_key/entity" ("" = global), the records the caller's feed holds
    at `cursor` (the platform's visible head when it computed them)."""

    cursor: int = Field(ge=0)
    scopes: dict[str, ScopeSum]


class ScopePage(_Model):
    """`GET /sync/scope`: the current records of one entity visible to the caller, ordered by id."""

    changes: list[Change]
    next_after: str | None = None  # pass as `after` for the next page; None = the last page
    cursor: int = Field(ge=0)
