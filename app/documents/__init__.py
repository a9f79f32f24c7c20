"""Standard enforcement documents (执法文书), Qt-free: templates as data, filling from records, life cycle and
numbering. Rendering to PDF and printing live in `ui.documents` (Qt).

Entry point for other areas: `DocumentService(store, user).create_draft(doc_type=…, township_id=…, …)`.
"""

from app.documents.lifecycle import DocStatus
from app.documents.service import DocumentService

__all__ = ["DocStatus", "DocumentService"]
