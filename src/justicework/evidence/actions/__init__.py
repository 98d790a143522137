"""Every write of the evidence vault (STYLE 1): one module per noun, re-exported here."""

from justicework.evidence.actions.custody import append_custody
from justicework.evidence.actions.derivatives import make_derivatives, share_stripped_copy
from justicework.evidence.actions.items import create_item, set_graphic
from justicework.evidence.actions.provenance import extract_provenance
from justicework.evidence.actions.uploads import (
    advance_upload,
    complete_upload,
    create_upload,
    expire_uploads,
    terminate_upload,
)

__all__ = [
    "advance_upload",
    "append_custody",
    "complete_upload",
    "create_item",
    "create_upload",
    "expire_uploads",
    "extract_provenance",
    "make_derivatives",
    "set_graphic",
    "share_stripped_copy",
    "terminate_upload",
]
