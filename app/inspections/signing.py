"""Evidence and signatures of an inspection (mixed into `InspectionService`).

Evidence is imported in two steps (`prepare_evidence` on any thread, `record_evidence` in one write
transaction — see `app.inspections.evidence`). Before finalisation an item can be deleted (recorded as a void
with an automatic reason and hidden; the platform keeps evidence append-only); after, only voided with a
reason, the original always kept. Signatures are PNG evidence of kind "signature", hashed and stored like any
other; `Inspection.signatures` maps a role ("party", "witness", "officer:<id>") to the signature's evidence or
to a recorded refusal (reason and witness).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app import changes
from app.errors import DomainError, ValidationError
from app.evidence_intake import as_one_unit
from app.evidence_store import DEFAULT_MAX_BYTES
from app.inspections.evidence import DELETED_PREFIX, PreparedBlob, prepare_blob, record_blob
from app.models import Evidence, Inspection, Officer, new_id

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.identity import CurrentUser
    from app.models import Finding
    from app.store import Store

ROLE_LABELS = {"party": "当事人", "witness": "见证人", "onsite": "现场负责人"}


def role_label(role: str, officer_names: dict[str, str] | None = None) -> str:
    if role.startswith("officer:"):
        oid = role.split(":", 1)[1]
        return f"执法人员{(officer_names or {}).get(oid, '')}"
    return ROLE_LABELS.get(role, role)


def required_roles(insp_officer_ids: list[str]) -> list[str]:
    """Who must sign (or have a refusal recorded) before finalisation: the party and every officer."""
    return ["party", *[f"officer:{o}" for o in dict.fromkeys(insp_officer_ids)]]


class SigningMixin:
    store: Store
    user: CurrentUser
    clock: Callable[[], datetime]

    if TYPE_CHECKING:
        def _draft(self, session: Session, inspection_id: str, *, allow_final: bool = False) -> Inspection: ...
        def _finding(self, session: Session, insp: Inspection, key: str) -> Finding: ...

    # ---- evidence ----------------------------------------------------------------------------------------

    def prepare_evidence(self, src: Path, *, max_bytes: int = DEFAULT_MAX_BYTES,
                         progress: Callable[[int, int], None] | None = None,
                         cancel: threading.Event | None = None, folder: Path | None = None) -> PreparedBlob:
        """Check and stage one file (no database work; safe on an io thread). `folder`: the chosen folder of a
        folder import. `record_evidence` makes it evidence."""
        return prepare_blob(Path(src), self.store.paths.evidence, max_bytes=max_bytes, progress=progress,
                            cancel=cancel, folder=folder)

    def record_evidence(self, inspection_id: str, blob: PreparedBlob, *, item_key: str | None = None,
                        kind: str | None = None, caption: str = "") -> tuple[str, bool]:
        """File a prepared blob under the inspection (and a checklist item): (evidence id, duplicate). The blob
        is moved into place once the row is committed, and dropped when the transaction fails."""
        with as_one_unit(blob.staged, self.store.paths.evidence), self.store.write() as session:
            insp = self._draft(session, inspection_id)
            finding_id = self._finding(session, insp, item_key).id if item_key else None
            ev, duplicate = record_blob(session, blob, actor=self.user.actor, inspection_id=insp.id,
                                        finding_id=finding_id, task_id=insp.task_id, kind=kind, caption=caption)
            return ev.id, duplicate

    def import_evidence(self, inspection_id: str, src: Path, *, item_key: str | None = None,
                        max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[str, bool]:
        """Both steps in the calling thread (scripts and tests)."""
        with self.store.read() as session:
            insp = session.get(Inspection, inspection_id)
            if insp is not None and insp.status == "finalised":
                raise DomainError("检查记录已定稿锁定，不能再导入证据", code="locked")
        return self.record_evidence(inspection_id, self.prepare_evidence(src, max_bytes=max_bytes),
                                    item_key=item_key)

    def void_evidence(self, evidence_id: str, reason: str) -> None:
        """作废: the evidence stays (and its file), marked void with the reason."""
        reason = str(reason or "").strip()
        if not reason:
            raise ValidationError("作废证据必须填写原因", code="reason_required")
        with self.store.write() as session:
            ev = self._evidence(session, evidence_id)
            self._void(session, ev, reason)

    def delete_evidence(self, evidence_id: str) -> None:
        """Remove evidence from a draft record (hidden; kept as a void with an automatic reason)."""
        with self.store.write() as session:
            ev = self._evidence(session, evidence_id)
            insp = session.get(Inspection, ev.inspection_id) if ev.inspection_id else None
            if insp is not None and insp.status == "finalised":
                raise DomainError("检查记录已定稿，证据不能删除，只能作废并填写原因", code="locked")
            self._void(session, ev, f"{DELETED_PREFIX}（误导入）")

    def _evidence(self, session: Session, evidence_id: str) -> Evidence:
        ev = session.get(Evidence, evidence_id)
        if ev is None:
            raise DomainError("未找到该证据", code="not_found")
        if ev.inspection_id:
            self._draft(session, ev.inspection_id, allow_final=True)
        return ev

    def _void(self, session: Session, ev: Evidence, reason: str) -> None:
        if ev.voided:
            raise DomainError("该证据已作废", code="already_voided")
        ev.voided = True
        ev.void_reason = reason
        changes.record(session, actor=self.user.actor, entity="evidence", entity_id=ev.id, op="void",
                       base_version=ev.version, data={"reason": reason})

    # ---- signatures --------------------------------------------------------------------------------------

    def _check_role(self, insp: Inspection, role: str) -> None:
        if role in ("party", "witness", "onsite"):
            return
        if role.startswith("officer:") and role.split(":", 1)[1] in (insp.officer_ids or []):
            return
        raise ValidationError(f"签名角色「{role}」无效（当事人、见证人或本次检查的执法人员）", code="bad_role")

    def add_signature(self, inspection_id: str, role: str, png_bytes: bytes, *, signer_name: str = "") -> str:
        """Store a signature image as evidence (kind "signature") and file it under `role`; a second
        signature for the same role replaces the first (which is kept as void). Returns the evidence id."""
        if not png_bytes.startswith(b"\x89PNG"):
            raise ValidationError("签名图像无效（应为 PNG）", code="bad_signature")
        with self.store.read() as session:
            insp = self._draft(session, inspection_id)
            self._check_role(insp, role)
        tmp_dir = self.store.paths.root / "cache" / "signatures"
        tmp_dir.mkdir(parents=True, exist_ok=True)
        label = role_label(role).replace(":", "")
        tmp = tmp_dir / f"{new_id()}.png"
        try:
            tmp.write_bytes(png_bytes)
            blob = prepare_blob(tmp, self.store.paths.evidence)
        finally:
            tmp.unlink(missing_ok=True)
        blob = PreparedBlob(blob.sha256, blob.size, "image/png", "signature", f"签名-{label}.png", blob.meta,
                            blob.staged)
        with as_one_unit(blob.staged, self.store.paths.evidence), self.store.write() as session:
            insp = self._draft(session, inspection_id)
            self._check_role(insp, role)
            ev, _dup = record_blob(session, blob, actor=self.user.actor, inspection_id=insp.id,
                                   task_id=insp.task_id, kind="signature", caption=role, dedup=False)
            old = (insp.signatures or {}).get(role) or {}
            if old.get("evidence_id") and old["evidence_id"] != ev.id:
                prev = session.get(Evidence, old["evidence_id"])
                if prev is not None and not prev.voided:
                    self._void(session, prev, "重新签名，原签名作废")
            entry = {"evidence_id": ev.id, "sha256": ev.sha256, "signed_at": self.clock().isoformat(),
                     "name": signer_name or self._signer_name(session, insp, role)}
            changes.record_update(session, insp, {"signatures": {**(insp.signatures or {}), role: entry}},
                                  actor=self.user.actor)
            return ev.id

    def refuse_signature(self, inspection_id: str, role: str, reason: str, witness: str) -> None:
        """Record that `role` refused to sign, with the reason and the witness present (拒签见证)."""
        reason, witness = str(reason or "").strip(), str(witness or "").strip()
        if not reason:
            raise ValidationError("请填写拒绝签名的原因", code="reason_required")
        if not witness:
            raise ValidationError("拒绝签名须有见证人，请填写见证人姓名", code="witness_required")
        with self.store.write() as session:
            insp = self._draft(session, inspection_id)
            self._check_role(insp, role)
            entry = {"refused": True, "reason": reason, "witness": witness, "at": self.clock().isoformat()}
            changes.record_update(session, insp, {"signatures": {**(insp.signatures or {}), role: entry}},
                                  actor=self.user.actor)

    def _signer_name(self, session: Session, insp: Inspection, role: str) -> str:
        if role.startswith("officer:"):
            officer = session.get(Officer, role.split(":", 1)[1])
            return officer.name if officer else ""
        if role == "party":
            return str((insp.party or {}).get("name") or "")
        if role == "onsite":
            return str((insp.onsite_person or {}).get("name") or "")
        witnesses: list[Any] = list(insp.witnesses or [])
        return str(witnesses[0].get("name") or "") if witnesses else ""
