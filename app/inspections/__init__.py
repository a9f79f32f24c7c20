"""Field recording (Qt-free): inspections started from a plan or an instruction, the merged checklist,
findings, evidence, signatures, finalisation and the follow-ups of violations. `InspectionService` is the
entry point; the UI runs its methods on the store worker."""

from app.inspections.finalising import FinaliseRefused, finalise_problems
from app.inspections.followups import FollowUpOption, FollowUpService
from app.inspections.service import InspectionService, SaveResult

__all__ = ["FinaliseRefused", "FollowUpOption", "FollowUpService", "InspectionService", "SaveResult",
           "finalise_problems"]
