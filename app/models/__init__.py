"""All stored entities; importing this package registers every table on `Base.metadata`."""

from app.models.audit import AuditEvent, AuditReceipt
from app.models.base import Base, new_id, utcnow
from app.models.cases import Case, CaseConfigEdition
from app.models.catalogue import CatalogueVersion, Matter, MatterEmpowerment
from app.models.documents import Document, NumberBlock
from app.models.draws import RandomDraw
from app.models.evidence import Evidence
from app.models.inspections import Finding, Inspection, InspectionPlan
from app.models.loops import (
    Complainant,
    ComplaintReply,
    GridTierChange,
    Intervention,
    NoticeReply,
    ResponseCheckin,
)
from app.models.org import Department, Grid, Officer, OfficerInterest, Township, Unit
from app.models.referrals import Referral
from app.models.sync_state import Conflict, OutboxEntry, SyncState, Upload
from app.models.targets import Target
from app.models.tasks import Task, TaskAssignee, TaskEvent, TaskMatter

__all__ = [
    "AuditEvent", "AuditReceipt", "Base", "Case", "CaseConfigEdition", "CatalogueVersion", "Conflict", "Department",
    "Document", "Evidence", "Finding",
    "Grid", "Inspection", "InspectionPlan", "Matter", "MatterEmpowerment", "NumberBlock", "Officer",
    "OfficerInterest", "OutboxEntry", "RandomDraw", "Referral", "SyncState", "Target", "Task", "TaskAssignee",
    "TaskEvent", "TaskMatter", "Township", "Unit", "Upload", "new_id", "utcnow",
]
__all__ += [
    "Complainant", "ComplaintReply", "GridTierChange", "Intervention", "NoticeReply", "ResponseCheckin",
]
